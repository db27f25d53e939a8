// The two ways `assistd bench` prints its rows: a markdown table for people and a JSON array
// with llama-bench's field names for the tooling that already reads llama-bench's output.
#pragma once

#include <string>
#include <vector>

#include "bench/build_info.h"
#include "bench/model_profile.h"
#include "bench/test_result.h"

namespace assistd::bench {

// llama-bench's columns (model, size, params, backend, threads, test, t/s) and then the decode
// bound of generation rows: bound t/s and the fraction of it reached.
std::string format_markdown_table(const ModelProfile& model, const std::vector<TestResult>& rows);

// One object per row, llama-bench's fields in llama-bench's order, then ours:
// bandwidth_gbs, weight_bytes_per_token, bound_ts and bound_fraction (null for prompt rows).
std::string format_json(const BuildInfo& build, const ModelProfile& model,
                        const std::vector<TestResult>& rows);

}  // namespace assistd::bench
