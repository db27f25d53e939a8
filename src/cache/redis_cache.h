// RedisCache: the response cache in Redis (hiredis), shared by every worker and replica that
// points at the same server. Entries are `assistd:response:<digest>` = the full key text and the
// answer, SET with EX ttl; a GET answers only when the stored key text equals the request's.
//
// Redis is talked to from one thread of its own with short timeouts, so a slow or dead Redis
// never stalls the server's IO thread: lookups queue there (a full queue answers Unavailable at
// once). When Redis is down, every lookup answers Unavailable and every store is dropped — each
// counted in assistd_response_cache_errors_total, with a warning at most every 10 s — and the
// connection is retried with a backoff from 100 ms doubling to 2 s.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "cache/cache_metrics.h"
#include "cache/redis_url.h"
#include "cache/response_cache.h"

struct redisContext;

namespace assistd::cache {

class RedisCache : public ResponseCache {
  public:
    struct Options {
        RedisAddress address;
        std::chrono::seconds ttl{3600};
        std::chrono::milliseconds timeout{250};  // connect, and each command
        size_t max_queued = 256;
    };

    RedisCache(Options options, CacheMetrics& metrics);
    ~RedisCache() override;

    void lookup(const CacheKey& key, std::function<void(CacheLookup)> done) override;
    void store(const CacheKey& key, std::string value) override;

  private:
    using Clock = std::chrono::steady_clock;
    struct Job {
        CacheKey key;
        std::string value;                        // store: the answer
        std::function<void(CacheLookup)> done{};  // lookup: whom to tell
    };

    void run();  // the Redis thread
    CacheLookup get(const CacheKey& key);
    void set(const CacheKey& key, const std::string& value);
    bool connected();                      // connects when due; false while Redis is away
    void failed(const std::string& what);  // drops the connection, counts, warns, backs off
    void enqueue(Job job);

    Options options_;
    CacheMetrics& metrics_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;

    // Only the Redis thread touches these.
    struct ContextFree {
        void operator()(redisContext* context) const;
    };
    std::unique_ptr<redisContext, ContextFree> context_;
    Clock::time_point next_attempt_{};
    std::chrono::milliseconds backoff_{0};
    Clock::time_point last_warning_{};
    uint64_t unreported_errors_ = 0;

    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace assistd::cache
