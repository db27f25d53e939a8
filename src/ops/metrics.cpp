#include "ops/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace assistd::ops {
namespace {

void atomic_add(std::atomic<double>& target, double amount) {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + amount, std::memory_order_relaxed)) {
    }
}

}  // namespace

std::string format_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // The shortest text that reads back as the same double: 0.1, not 0.10000000000000001.
    char text[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value) break;
    }
    return text;
}

namespace {

// Label values escape backslash, double quote and newline; everything else is written as is.
std::string escape_label(const std::string& value) {
    std::string escaped;
    for (char c : value) {
        if (c == '\\') {
            escaped += "\\\\";
        } else if (c == '"') {
            escaped += "\\\"";
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string label_text(const Labels& labels) {
    if (labels.empty()) return "";
    std::string text = "{";
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) text += ",";
        text += labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
    }
    return text + "}";
}

std::string_view type_name(int type) {
    static constexpr std::string_view kNames[] = {"counter", "gauge", "histogram"};
    return kNames[type];
}

void write_sample(std::string& out, const std::string& name, const Labels& labels, double value) {
    out += name + label_text(labels) + " " + format_value(value) + "\n";
}

}  // namespace

void Counter::add(double amount) {
    atomic_add(value_, amount);
}

void Gauge::add(double amount) {
    atomic_add(value_, amount);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
    for (size_t i = 0; i <= upper_bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::observe(double value) {
    const auto bucket =
        static_cast<size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                            upper_bounds_.begin());
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    atomic_add(sum_, value);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot snapshot{upper_bounds_, {}, sum_.load(std::memory_order_relaxed)};
    uint64_t running = 0;
    for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        snapshot.cumulative.push_back(running);
    }
    return snapshot;
}

std::vector<double> latency_buckets() {
    return {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,  0.25,  0.5,  0.75,
            1.0,   2.5,   5.0,  7.5,  10.0, 20.0, 40.0, 80.0, 160.0, 640.0};
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, Type type,
                                                 const std::string& help) {
    auto [it, inserted] = families_.try_emplace(name);
    Family& family = it->second;
    if (inserted) {
        family.type = type;
        family.help = help;
    } else if (family.type != type || family.help != help || family.read) {
        throw std::logic_error("metric " + name + " registered twice differently");
    }
    return family;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, Type::Counter, help).counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, Type::Gauge, help).gauges[labels];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      std::vector<double> upper_bounds, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, Type::Histogram, help).histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>(std::move(upper_bounds));
    return *slot;
}

void MetricsRegistry::counter_fn(const std::string& name, const std::string& help,
                                 std::function<double()> read) {
    std::lock_guard lock(mutex_);
    family(name, Type::Counter, help).read = std::move(read);
}

void MetricsRegistry::gauge_fn(const std::string& name, const std::string& help,
                               std::function<double()> read) {
    std::lock_guard lock(mutex_);
    family(name, Type::Gauge, help).read = std::move(read);
}

std::string MetricsRegistry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + " " + family.help + "\n";
        out +=
            "# TYPE " + name + " " + std::string(type_name(static_cast<int>(family.type))) + "\n";
        if (family.read) write_sample(out, name, {}, family.read());
        for (const auto& [labels, counter] : family.counters) {
            write_sample(out, name, labels, counter->value());
        }
        for (const auto& [labels, gauge] : family.gauges) {
            write_sample(out, name, labels, gauge->value());
        }
        for (const auto& [labels, histogram] : family.histograms) {
            const Histogram::Snapshot snapshot = histogram->snapshot();
            for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
                Labels bucket = labels;
                bucket.emplace_back("le", i < snapshot.upper_bounds.size()
                                              ? format_value(snapshot.upper_bounds[i])
                                              : "+Inf");
                write_sample(out, name + "_bucket", bucket,
                             static_cast<double>(snapshot.cumulative[i]));
            }
            write_sample(out, name + "_sum", labels, snapshot.sum);
            write_sample(out, name + "_count", labels,
                         static_cast<double>(snapshot.cumulative.back()));
        }
    }
    return out;
}

}  // namespace assistd::ops
