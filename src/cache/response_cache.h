// ResponseCache: where complete answers of deterministic requests are kept, keyed by CacheKey.
//
// A backend may be slow or away (Redis over a network), so lookup answers through a callback,
// possibly later and on another thread, and a backend that cannot answer says Unavailable instead
// of failing: the request is then served as if there were no cache.
#pragma once

#include <functional>
#include <string>

#include "cache/cache_key.h"

namespace assistd::cache {

enum class CacheOutcome { Hit, Miss, Unavailable };

struct CacheLookup {
    CacheOutcome outcome = CacheOutcome::Miss;
    std::string value{};  // the stored answer, on a hit
};

class ResponseCache {
  public:
    virtual ~ResponseCache() = default;

    // Calls `done` exactly once, now or later from another thread.
    virtual void lookup(const CacheKey& key, std::function<void(CacheLookup)> done) = 0;
    // Keeps `value` under `key` for the backend's time to live; failures are the backend's to
    // count and log, never the caller's.
    virtual void store(const CacheKey& key, std::string value) = 0;
};

}  // namespace assistd::cache
