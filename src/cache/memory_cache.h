// MemoryCache: the in-process backend — least recently used entries leave first once the entries
// hold more than max_bytes, and an entry older than its time to live is never answered.
//
// Entries are indexed by digest and answered only when the full key text matches. The clock is
// injected so tests can move time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>

#include "cache/response_cache.h"

namespace assistd::cache {

class MemoryCache : public ResponseCache {
  public:
    using Clock = std::chrono::steady_clock;

    struct Options {
        std::chrono::seconds ttl{3600};
        uint64_t max_bytes = 256ull << 20;
    };

    explicit MemoryCache(Options options, std::function<Clock::time_point()> now = Clock::now);

    void lookup(const CacheKey& key, std::function<void(CacheLookup)> done) override;
    void store(const CacheKey& key, std::string value) override;

    // What the entries hold now: key text, digest and value bytes, plus a fixed overhead each.
    uint64_t bytes() const;
    size_t entries() const;

  private:
    struct Entry {
        CacheKey key;
        std::string value;
        Clock::time_point expires;
        uint64_t bytes;
    };
    using Position = std::list<Entry>::iterator;

    Position find(const CacheKey& key);  // end() when absent; caller holds mutex_
    void erase(Position entry);          // caller holds mutex_

    Options options_;
    std::function<Clock::time_point()> now_;
    mutable std::mutex mutex_;
    std::list<Entry> recency_;  // most recently used first
    std::unordered_multimap<std::string, Position> by_digest_;
    uint64_t bytes_ = 0;
};

}  // namespace assistd::cache
