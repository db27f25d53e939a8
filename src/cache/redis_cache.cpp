#include "cache/redis_cache.h"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace assistd::cache {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMostBackoff{2000};
constexpr std::chrono::seconds kWarningInterval{10};

struct ReplyFree {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

std::string redis_key(const CacheKey& key) {
    return "assistd:response:" + key.digest;
}

// What is stored: the key text's length, a newline, the key text, then the answer — so a GET
// can check the full key before answering.
std::string entry_bytes(const CacheKey& key, const std::string& value) {
    return std::to_string(key.text.size()) + "\n" + key.text + value;
}

std::optional<std::string_view> answer_in(std::string_view entry, const std::string& key_text) {
    const size_t newline = entry.find('\n');
    size_t length = 0;
    if (newline == std::string_view::npos ||
        std::from_chars(entry.data(), entry.data() + newline, length).ptr !=
            entry.data() + newline ||
        entry.size() - newline - 1 < length) {
        return std::nullopt;
    }
    if (entry.substr(newline + 1, length) != key_text) return std::nullopt;
    return entry.substr(newline + 1 + length);
}

timeval to_timeval(std::chrono::milliseconds ms) {
    return {static_cast<time_t>(ms.count() / 1000),
            static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

}  // namespace

void RedisCache::ContextFree::operator()(redisContext* context) const {
    redisFree(context);
}

RedisCache::RedisCache(Options options, CacheMetrics& metrics)
    : options_(std::move(options)), metrics_(metrics), thread_([this] { run(); }) {}

RedisCache::~RedisCache() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void RedisCache::enqueue(Job job) {
    {
        std::unique_lock lock(mutex_);
        if (!stopping_ && queue_.size() < options_.max_queued) {
            queue_.push_back(std::move(job));
            lock.unlock();
            wake_.notify_one();
            return;
        }
    }
    // Redis is not keeping up: answer without it rather than wait.
    metrics_.error();
    if (job.done) job.done({CacheOutcome::Unavailable});
}

void RedisCache::lookup(const CacheKey& key, std::function<void(CacheLookup)> done) {
    enqueue({key, "", std::move(done)});
}

void RedisCache::store(const CacheKey& key, std::string value) {
    enqueue({key, std::move(value)});
}

void RedisCache::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;  // the server is going away; nobody waits for these answers
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        if (job.done) {
            job.done(get(job.key));
        } else {
            set(job.key, job.value);
        }
    }
}

bool RedisCache::connected() {
    if (context_) return true;
    if (Clock::now() < next_attempt_) {
        metrics_.error();
        return false;
    }
    const RedisAddress& address = options_.address;
    context_.reset(
        redisConnectWithTimeout(address.host.c_str(), address.port, to_timeval(options_.timeout)));
    if (!context_ || context_->err) {
        failed(context_ ? context_->errstr : "cannot allocate a Redis context");
        return false;
    }
    redisSetTimeout(context_.get(), to_timeval(options_.timeout));
    if (!address.password.empty()) {
        Reply reply(static_cast<redisReply*>(redisCommand(
            context_.get(), "AUTH %b", address.password.data(), address.password.size())));
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            failed(reply ? std::string("AUTH: ") + reply->str : context_->errstr);
            return false;
        }
    }
    if (address.db != 0) {
        Reply reply(
            static_cast<redisReply*>(redisCommand(context_.get(), "SELECT %d", address.db)));
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            failed(reply ? std::string("SELECT: ") + reply->str : context_->errstr);
            return false;
        }
    }
    if (backoff_.count() > 0) {
        spdlog::info("response cache: connected to Redis at {}:{} again", address.host,
                     address.port);
    }
    backoff_ = std::chrono::milliseconds{0};
    return true;
}

void RedisCache::failed(const std::string& what) {
    context_.reset();
    metrics_.error();
    backoff_ = backoff_.count() == 0 ? kFirstBackoff : std::min(backoff_ * 2, kMostBackoff);
    next_attempt_ = Clock::now() + backoff_;
    ++unreported_errors_;
    const Clock::time_point now = Clock::now();
    if (now - last_warning_ < kWarningInterval) return;
    spdlog::warn(
        "response cache: Redis at {}:{} failed ({}); serving uncached, retrying within {} ms "
        "({} failures since the last warning)",
        options_.address.host, options_.address.port, what, backoff_.count(), unreported_errors_);
    last_warning_ = now;
    unreported_errors_ = 0;
}

CacheLookup RedisCache::get(const CacheKey& key) {
    if (!connected()) return {CacheOutcome::Unavailable};
    const std::string name = redis_key(key);
    Reply reply(
        static_cast<redisReply*>(redisCommand(context_.get(), "GET %b", name.data(), name.size())));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
        failed(reply ? std::string("GET: ") + reply->str : context_->errstr);
        return {CacheOutcome::Unavailable};
    }
    if (reply->type != REDIS_REPLY_STRING) return {CacheOutcome::Miss};
    std::optional<std::string_view> answer =
        answer_in(std::string_view(reply->str, reply->len), key.text);
    if (!answer) return {CacheOutcome::Miss};  // another key with this digest, or damaged
    return {CacheOutcome::Hit, std::string(*answer)};
}

void RedisCache::set(const CacheKey& key, const std::string& value) {
    if (!connected()) return;
    const std::string name = redis_key(key);
    const std::string entry = entry_bytes(key, value);
    const std::string ttl = std::to_string(options_.ttl.count());
    Reply reply(static_cast<redisReply*>(redisCommand(context_.get(), "SET %b %b EX %b",
                                                      name.data(), name.size(), entry.data(),
                                                      entry.size(), ttl.data(), ttl.size())));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
        failed(reply ? std::string("SET: ") + reply->str : context_->errstr);
    }
}

}  // namespace assistd::cache
