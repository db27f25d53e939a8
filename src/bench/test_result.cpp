#include "bench/test_result.h"

#include "bench/statistics.h"

namespace assistd::bench {
namespace {

std::vector<double> as_doubles(const std::vector<uint64_t>& values) {
    return std::vector<double>(values.begin(), values.end());
}

}  // namespace

std::string TestShape::name() const {
    if (n_gen == 0) return "pp" + std::to_string(n_prompt);
    if (n_prompt == 0) return "tg" + std::to_string(n_gen);
    return "pp" + std::to_string(n_prompt) + "+tg" + std::to_string(n_gen);
}

std::vector<double> TestResult::samples_ts() const {
    std::vector<double> ts;
    ts.reserve(samples_ns.size());
    for (uint64_t ns : samples_ns) {
        ts.push_back(1e9 * static_cast<double>(shape.n_tokens()) / static_cast<double>(ns));
    }
    return ts;
}

double TestResult::avg_ns() const {
    return mean(as_doubles(samples_ns));
}
double TestResult::stddev_ns() const {
    return sample_stddev(as_doubles(samples_ns));
}
double TestResult::avg_ts() const {
    return mean(samples_ts());
}
double TestResult::stddev_ts() const {
    return sample_stddev(samples_ts());
}

std::optional<double> TestResult::bound_ts() const {
    if (shape.n_gen == 0 || shape.n_prompt != 0) return std::nullopt;
    if (weight_bytes_per_token == 0 || bandwidth_bytes_per_s <= 0.0) return std::nullopt;
    return bandwidth_bytes_per_s / static_cast<double>(weight_bytes_per_token);
}

std::optional<double> TestResult::bound_fraction() const {
    const std::optional<double> bound = bound_ts();
    if (!bound) return std::nullopt;
    return avg_ts() / *bound;
}

}  // namespace assistd::bench
