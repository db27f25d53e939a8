#include "security/rate_limiter.h"

#include <gtest/gtest.h>

#include "security/nonce_cache.h"

namespace assistd::security {
namespace {

Principal limited(int64_t rpm, int64_t tpm = 0, int64_t concurrent = 0) {
    return {.credential_id = "ak_1", .requests_per_minute = rpm, .tokens_per_minute = tpm,
            .max_concurrent = concurrent, .root_id = "ak_1"};
}

TEST(RateLimiter, RequestsPerMinuteAllowAMinutesBurstThenSayWhenToRetry) {
    RateLimiter limiter;
    const Principal principal = limited(2);
    EXPECT_TRUE(limiter.admit(principal, 0).lease);
    EXPECT_TRUE(limiter.admit(principal, 0).lease);
    auto refused = limiter.admit(principal, 0);
    EXPECT_FALSE(refused.lease);
    EXPECT_EQ(refused.retry_after_seconds, 30);  // one request refills every 30 s
    EXPECT_NE(refused.reason.find("requests per minute"), std::string::npos);
    EXPECT_FALSE(limiter.admit(principal, 29).lease);
    EXPECT_TRUE(limiter.admit(principal, 30).lease);
}

TEST(RateLimiter, KeysHaveSeparateBudgetsAndSessionsShareTheirIssuers) {
    RateLimiter limiter;
    Principal one = limited(1);
    Principal other = limited(1);
    other.credential_id = other.root_id = "ak_2";
    Principal session = limited(1);
    session.credential_id = "st_1";
    EXPECT_TRUE(limiter.admit(one, 0).lease);
    EXPECT_TRUE(limiter.admit(other, 0).lease);
    EXPECT_FALSE(limiter.admit(session, 0).lease);
    EXPECT_TRUE(limiter.admit(limited(0), 0).lease);  // 0 requests per minute: no limit
}

TEST(RateLimiter, ConcurrencyIsHeldUntilTheLeaseEnds) {
    RateLimiter limiter;
    const Principal principal = limited(0, 0, 1);
    auto first = limiter.admit(principal, 0);
    ASSERT_TRUE(first.lease);
    auto second = limiter.admit(principal, 0);
    EXPECT_FALSE(second.lease);
    EXPECT_GE(second.retry_after_seconds, 1);
    first.lease.reset();
    EXPECT_TRUE(limiter.admit(principal, 0).lease);
}

TEST(RateLimiter, TokensAreChargedAfterwardsAndADebtBlocksUntilRepaid) {
    RateLimiter limiter;
    const Principal principal = limited(0, 600);
    {
        auto admitted = limiter.admit(principal, 0);
        ASSERT_TRUE(admitted.lease);
        admitted.lease->charge_tokens(900);  // 300 in debt: 600 tokens/min repays it in 30 s
    }
    auto refused = limiter.admit(principal, 0);
    EXPECT_FALSE(refused.lease);
    EXPECT_EQ(refused.retry_after_seconds, 30);
    EXPECT_NE(refused.reason.find("tokens per minute"), std::string::npos);
    EXPECT_TRUE(limiter.admit(principal, 31).lease);
}

TEST(NonceCache, RemembersNoncesPerCredentialAndForgetsSafelyWhenFull) {
    NonceCache cache(2, 300);
    EXPECT_TRUE(cache.first_use("a", "n1", 100, 100));
    EXPECT_FALSE(cache.first_use("a", "n1", 100, 100));
    EXPECT_TRUE(cache.first_use("b", "n1", 101, 101));
    EXPECT_TRUE(cache.first_use("a", "n2", 102, 102));  // evicts ("a","n1",100): floor is 100
    EXPECT_FALSE(cache.first_use("a", "n1", 100, 102));  // cannot be ruled out: refused
    EXPECT_FALSE(cache.first_use("a", "n3", 99, 102));
    EXPECT_TRUE(cache.first_use("a", "n4", 103, 103));
}

}  // namespace
}  // namespace assistd::security
