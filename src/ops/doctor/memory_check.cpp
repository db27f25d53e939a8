// The memory check: the model's weights and the KV cache both live in RAM; more than
// MemAvailable sends the host into swap or the OOM killer mid-request.
#include <cstdio>

#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {
namespace {

std::string gib(int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / double(1ll << 30));
    return text;
}

}  // namespace

CheckResult check_memory(const ModelConfig& model, std::optional<int64_t> model_bytes,
                         std::optional<int64_t> available_bytes) {
    if (!available_bytes) {
        return CheckResult::warn("memory", "MemAvailable unreadable (/proc/meminfo)",
                                 "set model.kv_cache_bytes explicitly; it cannot be sized");
    }
    const int64_t weights = model_bytes.value_or(0);
    const std::string kv = model.kv_cache_bytes > 0 ? gib(model.kv_cache_bytes)
                                                    : std::string("sized from free memory");
    const std::string finding =
        gib(*available_bytes) + " available, model " + gib(weights) + " + KV cache " + kv;
    const int64_t needed = weights + model.kv_cache_bytes;
    if (needed > *available_bytes) {
        return CheckResult::fail("memory", finding,
                                 "lower model.kv_cache_bytes, use a smaller or more quantized "
                                 "model, or free memory");
    }
    // The KV cache sized from free memory needs room beyond the weights to be useful at all.
    if (model.kv_cache_bytes == 0 && weights > *available_bytes / 2) {
        return CheckResult::warn("memory", finding + ": little left for the KV cache",
                                 "set model.kv_cache_bytes, or free memory");
    }
    return CheckResult::ok("memory", finding);
}

}  // namespace assistd::ops::doctor
