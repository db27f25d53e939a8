#include "cache/open_response_cache.h"

#include "cache/memory_cache.h"
#include "cache/redis_cache.h"

namespace assistd::cache {

Result<std::unique_ptr<ResponseCache>> open_response_cache(const CacheSettings& settings,
                                                           CacheMetrics& metrics,
                                                           ops::MetricsRegistry& registry) {
    switch (settings.backend) {
        case CacheBackend::Off:
            return std::unique_ptr<ResponseCache>();
        case CacheBackend::Memory: {
            auto memory = std::make_unique<MemoryCache>(
                MemoryCache::Options{.ttl = settings.ttl, .max_bytes = settings.max_bytes});
            registry.gauge_fn(
                "assistd_response_cache_bytes", "Bytes held by the in-process response cache.",
                [cache = memory.get()] { return static_cast<double>(cache->bytes()); });
            return std::unique_ptr<ResponseCache>(std::move(memory));
        }
        case CacheBackend::Redis: {
            Result<RedisAddress> address = parse_redis_url(settings.redis_url);
            if (!address) return Error{"cache.redis_url: " + address.error().message};
            return std::unique_ptr<ResponseCache>(std::make_unique<RedisCache>(
                RedisCache::Options{.address = *address, .ttl = settings.ttl}, metrics));
        }
    }
    return std::unique_ptr<ResponseCache>();
}

}  // namespace assistd::cache
