// The Redis check: with cache.backend redis an unreachable server does not stop serving (the
// cache degrades to none), so it is a warning: answers are computed every time.
#include <hiredis/hiredis.h>

#include <memory>

#include "cache/redis_url.h"
#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {
namespace {

constexpr timeval kConnectTimeout{0, 500'000};

struct RedisFree {
    void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
    void operator()(void* r) const { freeReplyObject(r); }
};

constexpr const char* kFix = "start Redis at cache.redis_url, fix the URL, or set cache.backend";

}  // namespace

CheckResult check_redis(const CacheConfig& cache) {
    if (cache.backend != "redis")
        return CheckResult::ok("redis", "not used (cache.backend " + cache.backend + ")");
    Result<cache::RedisAddress> address = cache::parse_redis_url(cache.redis_url);
    if (!address) return CheckResult::warn("redis", address.error().message, kFix);
    const std::string where = address->host + ":" + std::to_string(address->port);
    std::unique_ptr<redisContext, RedisFree> context(
        redisConnectWithTimeout(address->host.c_str(), address->port, kConnectTimeout));
    if (!context || context->err) {
        return CheckResult::warn("redis",
                                 where + " unreachable (" +
                                     (context ? context->errstr : "out of memory") +
                                     "): serving runs without a cache",
                                 kFix);
    }
    redisSetTimeout(context.get(), kConnectTimeout);
    if (!address->password.empty()) {
        std::unique_ptr<redisReply, ReplyFree> auth(static_cast<redisReply*>(
            redisCommand(context.get(), "AUTH %s", address->password.c_str())));
        if (!auth || auth->type == REDIS_REPLY_ERROR) {
            return CheckResult::warn("redis", where + " refused the password", kFix);
        }
    }
    std::unique_ptr<redisReply, ReplyFree> pong(
        static_cast<redisReply*>(redisCommand(context.get(), "PING")));
    if (!pong || pong->type == REDIS_REPLY_ERROR) {
        return CheckResult::warn("redis", where + " did not answer PING", kFix);
    }
    return CheckResult::ok("redis", where + " answers PING");
}

}  // namespace assistd::ops::doctor
