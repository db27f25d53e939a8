#include "security/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace assistd::security {

TokenBucket::TokenBucket(double per_minute, double now)
    : per_minute_(per_minute), level_(per_minute), updated_(now) {}

void TokenBucket::refill(double now) {
    if (now > updated_) level_ = std::min(per_minute_, level_ + (now - updated_) * per_minute_ / 60);
    updated_ = std::max(updated_, now);
}

double TokenBucket::take(double amount, double now) {
    refill(now);
    // A bucket in debt admits nothing; otherwise one request's worth is enough to start it.
    const double needed = std::min(amount, per_minute_);
    if (level_ >= needed && level_ > 0) {
        level_ -= amount;
        return 0;
    }
    return (needed - level_) * 60 / per_minute_;
}

void TokenBucket::charge(double amount, double now) {
    refill(now);
    level_ -= amount;
}

RateLimiter::Lease::~Lease() {
    std::lock_guard lock(limiter_.mutex_);
    --limiter_.states_[key_].in_flight;
}

void RateLimiter::Lease::charge_tokens(int64_t tokens) {
    std::lock_guard lock(limiter_.mutex_);
    State& state = limiter_.states_[key_];
    if (state.tokens) state.tokens->charge(static_cast<double>(tokens), state.now);
}

namespace {

// Seconds until `bucket` (made on first use) has `amount`; 0 when it is taken or the limit is off.
double wait_for(std::unique_ptr<TokenBucket>& bucket, int64_t per_minute, double amount,
                double now) {
    if (per_minute <= 0) return 0;
    if (!bucket) bucket = std::make_unique<TokenBucket>(static_cast<double>(per_minute), now);
    return bucket->take(amount, now);
}

}  // namespace

RateLimiter::Admission RateLimiter::admit(const Principal& principal, double now) {
    std::lock_guard lock(mutex_);
    State& state = states_[principal.root_id];
    state.now = std::max(state.now, now);
    const auto refuse = [](double seconds, std::string reason) {
        return Admission{nullptr, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds))),
                         std::move(reason)};
    };
    if (principal.max_concurrent > 0 && state.in_flight >= principal.max_concurrent) {
        return refuse(1, "too many requests in flight for this key (limit " +
                             std::to_string(principal.max_concurrent) + ")");
    }
    // Admission needs a positive token balance; the request's real cost is charged afterwards.
    if (const double wait = wait_for(state.tokens, principal.tokens_per_minute, 0, now); wait > 0) {
        return refuse(wait, "tokens per minute exceeded for this key (limit " +
                                std::to_string(principal.tokens_per_minute) + ")");
    }
    if (const double wait = wait_for(state.requests, principal.requests_per_minute, 1, now);
        wait > 0) {
        return refuse(wait, "requests per minute exceeded for this key (limit " +
                                std::to_string(principal.requests_per_minute) + ")");
    }
    ++state.in_flight;
    return Admission{std::unique_ptr<Lease>(new Lease(*this, principal.root_id)), 0, ""};
}

}  // namespace assistd::security
