// The checks of `assistd doctor`, one concept per file, each answering before serve would fail.
// They only look: nothing is created that outlives the check (a probe file is removed, a probe
// socket closed).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "ops/config.h"
#include "ops/doctor/check_result.h"

namespace assistd::ops::doctor {

// Below this read rate a multi-GB model takes minutes to load: network or spinning storage.
inline constexpr double kSlowStorageMBps = 300;

// model.path: readable, a valid GGUF, and how fast it reads end to end. `model_bytes` receives
// the file size when it is readable (for the memory check).
CheckResult check_model(const std::string& path, std::optional<int64_t>& model_bytes);

// MemAvailable against the model plus model.kv_cache_bytes.
CheckResult check_memory(const ModelConfig& model, std::optional<int64_t> model_bytes,
                         std::optional<int64_t> available_bytes);

// Which matrix kernels this CPU runs: AVX-512 VNNI, AVX2 or the scalar fallback.
CheckResult check_cpu();

// service.host:port can be bound now.
CheckResult check_port(const ServiceConfig& service);

// Plain HTTP on an address other hosts can reach.
CheckResult check_exposure(const ServiceConfig& service);

// service.tls.cert/key load as a pair and the certificate is not expired or about to.
CheckResult check_tls(const ServiceConfig& service,
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// storage.data_dir (or the directory that will hold it) accepts a new file.
CheckResult check_data_dir(const StorageConfig& storage);

// cache.redis_url answers PING when cache.backend is redis.
CheckResult check_redis(const CacheConfig& cache);

}  // namespace assistd::ops::doctor
