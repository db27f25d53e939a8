// Times one benchmark row on a model the way llama-bench does: a warm-up run first, then each
// repetition on a fresh sequence (an empty KV cache), prompt processing and generation timed
// apart, on random tokens (the speed of a forward pass does not depend on which token it is).
#pragma once

#include "bench/test_result.h"
#include "engine/model/model.h"

namespace assistd::bench {

// Runs `shape` on `pool` (whose size is shape.n_threads) `repetitions` times after one warm-up.
// Fills shape, test_time and samples_ns of the result; the caller adds the bound.
TestResult run_test(const Model& model, ThreadPool& pool, const TestShape& shape, int repetitions);

}  // namespace assistd::bench
