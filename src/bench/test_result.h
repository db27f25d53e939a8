// TestResult: one row of a benchmark (one test shape at one thread count) with its repetitions,
// and the decode bound it is measured against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assistd::bench {

// What one row measures; like llama-bench, a row is either prompt processing (n_gen == 0) or
// generation (n_prompt == 0).
struct TestShape {
    int64_t n_prompt = 0;
    int64_t n_gen = 0;
    int n_threads = 1;

    // "pp512" or "tg128", as llama-bench names its tests.
    std::string name() const;
    int64_t n_tokens() const { return n_prompt + n_gen; }
};

struct TestResult {
    TestShape shape;
    std::string test_time;  // ISO 8601 UTC time the row started, e.g. 2026-11-28T15:00:00Z
    std::vector<uint64_t> samples_ns;  // one per repetition, warm-up excluded

    double bandwidth_bytes_per_s = 0.0;  // measured by the probe with this row's thread count
    uint64_t weight_bytes_per_token = 0;

    std::vector<double> samples_ts() const;  // tokens per second of each repetition
    double avg_ns() const;
    double stddev_ns() const;
    double avg_ts() const;
    double stddev_ts() const;

    // Generation cannot beat reading every weight once per token at the measured bandwidth;
    // prompt rows have no such bound (their weights are reused across the batch).
    std::optional<double> bound_ts() const;
    std::optional<double> bound_fraction() const;  // avg_ts / bound_ts
};

}  // namespace assistd::bench
