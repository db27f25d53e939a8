// The JSON half of report.h.
#include <nlohmann/json.hpp>

#include <optional>

#include "bench/report.h"

namespace assistd::bench {
namespace {

nlohmann::ordered_json optional_number(std::optional<double> value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json row_json(const BuildInfo& build, const ModelProfile& model,
                                const TestResult& row) {
    nlohmann::ordered_json j;
    j["build_commit"] = build.commit;
    j["build_number"] = build.build_number;
    j["cpu_info"] = build.cpu_info;
    j["gpu_info"] = "";
    j["backends"] = "CPU";
    j["model_filename"] = model.filename;
    j["model_type"] = model.type;
    j["model_size"] = model.size_bytes;
    j["model_n_params"] = model.n_params;
    // The whole prompt goes through the model as one batch.
    j["n_batch"] = row.shape.n_prompt;
    j["n_ubatch"] = row.shape.n_prompt;
    j["n_threads"] = row.shape.n_threads;
    j["type_k"] = "f32";  // the KV cache keeps floats
    j["type_v"] = "f32";
    j["n_gpu_layers"] = 0;
    // false as `model.mmap: false` serves: weights repacked into memory where this CPU's panel
    // kernels take their type, the other types computed from the mapping.
    j["use_mmap"] = model.use_mmap;
    j["embeddings"] = false;
    j["n_prompt"] = row.shape.n_prompt;
    j["n_gen"] = row.shape.n_gen;
    j["n_depth"] = 0;
    j["test_time"] = row.test_time;
    j["avg_ns"] = static_cast<uint64_t>(row.avg_ns());
    j["stddev_ns"] = static_cast<uint64_t>(row.stddev_ns());
    j["avg_ts"] = row.avg_ts();
    j["stddev_ts"] = row.stddev_ts();
    j["samples_ns"] = row.samples_ns;
    j["samples_ts"] = row.samples_ts();
    j["bandwidth_gbs"] = row.bandwidth_bytes_per_s / 1e9;
    j["weight_bytes_per_token"] = row.weight_bytes_per_token;
    j["bound_ts"] = optional_number(row.bound_ts());
    j["bound_fraction"] = optional_number(row.bound_fraction());
    return j;
}

}  // namespace

std::string format_json(const BuildInfo& build, const ModelProfile& model,
                        const std::vector<TestResult>& rows) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const TestResult& row : rows) array.push_back(row_json(build, model, row));
    return array.dump(2) + "\n";
}

}  // namespace assistd::bench
