// Metrics in the Prometheus text format (version 0.0.4): counters, gauges and histograms, with
// labels, registered once and updated from any thread without locks; render() writes what
// GET /metrics answers.
//
//   MetricsRegistry metrics;
//   Counter& tokens = metrics.counter("assistd_generation_tokens_total", "Tokens generated.");
//   tokens.add(12);
//   metrics.gauge_fn("assistd_num_requests_waiting", "Queued requests.", [&] { return q.size(); });
//   std::string text = metrics.render();
//
// Names follow vLLM's where a metric means the same thing (see README), so dashboards built for
// vLLM read these with the prefix changed.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace assistd::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void add(double amount = 1.0);  // amount >= 0
    double value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class Gauge {
  public:
    void set(double value) { value_.store(value, std::memory_order_relaxed); }
    void add(double amount);
    double value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);  // ascending; +Inf is implied
    void observe(double value);

    struct Snapshot {
        std::vector<double> upper_bounds;
        std::vector<uint64_t> cumulative;  // observations <= each bound, then the total
        double sum = 0.0;
    };
    Snapshot snapshot() const;

  private:
    std::vector<double> upper_bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, the last one for +Inf
    std::atomic<double> sum_{0.0};
};

// A sample's value as the text format writes it: the shortest text that reads back the same,
// NaN, +Inf, -Inf.
std::string format_value(double value);

// Bucket bounds vLLM uses for latencies in seconds, from 1 ms to 10 minutes.
std::vector<double> latency_buckets();

class MetricsRegistry {
  public:
    // The metric `name` with these labels; the same name and labels give the same object.
    // A name registered as another type, or with other help, is a programming error (throws).
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help,
                         std::vector<double> upper_bounds, const Labels& labels = {});
    // Values read when the metrics are rendered (from a component that keeps its own counts).
    void counter_fn(const std::string& name, const std::string& help, std::function<double()> read);
    void gauge_fn(const std::string& name, const std::string& help, std::function<double()> read);

    std::string render() const;

  private:
    enum class Type { Counter, Gauge, Histogram };
    struct Family {
        Type type;
        std::string help;
        std::map<Labels, std::unique_ptr<Counter>> counters;
        std::map<Labels, std::unique_ptr<Gauge>> gauges;
        std::map<Labels, std::unique_ptr<Histogram>> histograms;
        std::function<double()> read;  // a *_fn metric: one unlabelled sample
    };
    Family& family(const std::string& name, Type type, const std::string& help);

    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

}  // namespace assistd::ops
