// The response cache `cache.backend` names, made from the cache section of the configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cache/cache_metrics.h"
#include "cache/response_cache.h"
#include "common/result.h"
#include "ops/metrics.h"

namespace assistd::cache {

enum class CacheBackend { Off, Memory, Redis };

struct CacheSettings {
    CacheBackend backend = CacheBackend::Memory;
    std::chrono::seconds ttl{3600};
    uint64_t max_bytes = 256ull << 20;  // the memory backend's budget
    std::string redis_url{};            // redis://[:password@]host[:port][/db]
};

// Null for Off. Registers the backend's own metrics (the memory backend's bytes) in `registry`;
// `metrics` must outlive the cache.
Result<std::unique_ptr<ResponseCache>> open_response_cache(const CacheSettings& settings,
                                                           CacheMetrics& metrics,
                                                           ops::MetricsRegistry& registry);

}  // namespace assistd::cache
