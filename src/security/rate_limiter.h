// RateLimiter: per-credential limits — requests per minute and tokens per minute as token
// buckets (a full minute's worth may come in a burst, then the rate holds) and requests in flight.
// A refusal says how many seconds until a retry can succeed (the Retry-After of a 429).
// Thread-safe: leases end on whatever thread finishes the request.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "security/principal.h"

namespace assistd::security {

// Capacity `per_minute`, refilled continuously at per_minute / 60 a second. It may go into debt
// (tokens are counted after generation), and then admits nothing until repaid.
class TokenBucket {
  public:
    TokenBucket(double per_minute, double now);
    // Seconds until `amount` is available, 0 when it is (and then it is taken).
    double take(double amount, double now);
    // Takes `amount` whether or not it is there.
    void charge(double amount, double now);

  private:
    void refill(double now);
    double per_minute_;
    double level_;
    double updated_;
};

class RateLimiter {
  public:
    // Holds one of the principal's concurrent slots until destroyed.
    class Lease {
      public:
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        // Counts generated tokens against the tokens-per-minute bucket.
        void charge_tokens(int64_t tokens);

      private:
        friend class RateLimiter;
        Lease(RateLimiter& limiter, std::string key) : limiter_(limiter), key_(std::move(key)) {}
        RateLimiter& limiter_;
        std::string key_;
    };

    struct Admission {
        std::unique_ptr<Lease> lease;  // null: refused
        int64_t retry_after_seconds = 0;
        std::string reason;
    };

    // `now` in seconds (any monotonic origin). Limits are keyed by the principal's root
    // credential, so session tokens share their issuer's budget.
    Admission admit(const Principal& principal, double now);

  private:
    struct State {
        std::unique_ptr<TokenBucket> requests;
        std::unique_ptr<TokenBucket> tokens;
        int64_t in_flight = 0;
        double now = 0;  // of the last admission, for charging tokens
    };
    std::mutex mutex_;
    std::unordered_map<std::string, State> states_;
};

}  // namespace assistd::security
