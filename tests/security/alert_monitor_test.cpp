#include "security/alert_monitor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace assistd::security {
namespace {

AuditRecord refused(int64_t time_ms, std::string source, std::string credential = "") {
    return {.time_ms = time_ms,
            .credential = std::move(credential),
            .source = std::move(source),
            .route = "/v1/models",
            .status = 401};
}

AuditRecord answered(int64_t time_ms, int status, int64_t latency_ms = 10) {
    return {.time_ms = time_ms, .source = "10.0.0.9", .status = status, .latency_ms = latency_ms};
}

TEST(AlertMonitor, AuthFailuresFromOneAddressFireOncePerWindow) {
    AlertMonitor monitor({.auth_failures = 3, .auth_failures_window_ms = 10'000, .error_rate = 0});
    EXPECT_TRUE(monitor.observe(refused(0, "10.0.0.1")).empty());
    EXPECT_TRUE(monitor.observe(refused(1, "10.0.0.2")).empty());  // another address
    EXPECT_TRUE(monitor.observe(refused(2, "10.0.0.1")).empty());
    std::vector<Alert> fired = monitor.observe(refused(3, "10.0.0.1"));
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].rule, "auth_failures");
    EXPECT_EQ(fired[0].subject, "address");
    EXPECT_EQ(fired[0].subject_id, "10.0.0.1");
    EXPECT_EQ(fired[0].value, 3);
    const auto line = nlohmann::json::parse(fired[0].to_json());
    EXPECT_EQ(line["alert"], "auth_failures");
    EXPECT_EQ(line["address"], "10.0.0.1");
    EXPECT_EQ(line["window_seconds"], 10);

    // The attack goes on: quiet for the rest of the window, then one more alert.
    for (int64_t t = 4; t < 10'003; t += 100)
        EXPECT_TRUE(monitor.observe(refused(t, "10.0.0.1")).empty());
    EXPECT_EQ(monitor.observe(refused(10'003, "10.0.0.1")).size(), 1u);
}

TEST(AlertMonitor, FailuresOutsideTheWindowDoNotCount) {
    AlertMonitor monitor({.auth_failures = 3, .auth_failures_window_ms = 1'000, .error_rate = 0});
    EXPECT_TRUE(monitor.observe(refused(0, "10.0.0.1")).empty());
    EXPECT_TRUE(monitor.observe(refused(600, "10.0.0.1")).empty());
    EXPECT_TRUE(monitor.observe(refused(1'200, "10.0.0.1")).empty());  // the first has left
    EXPECT_EQ(monitor.observe(refused(1'300, "10.0.0.1")).size(), 1u);
}

TEST(AlertMonitor, ACredentialRefusedFromManyAddressesFiresForTheCredential) {
    AlertMonitor monitor({.auth_failures = 2, .auth_failures_window_ms = 60'000, .error_rate = 0});
    AuditRecord forbidden = refused(0, "10.0.0.1", "ak_abc");
    forbidden.status = 403;
    EXPECT_TRUE(monitor.observe(forbidden).empty());
    forbidden.source = "10.0.0.2";
    std::vector<Alert> fired = monitor.observe(forbidden);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].subject, "credential");
    EXPECT_EQ(fired[0].subject_id, "ak_abc");
    EXPECT_TRUE(monitor.observe(answered(1, 200)).empty());  // success is no failure
}

TEST(AlertMonitor, ErrorRateFiresAboveTheRatioOnceEnoughRequestsAreSeen) {
    AlertMonitor monitor(
        {.auth_failures = 0, .error_rate = 0.5, .error_rate_window_ms = 60'000, .min_requests = 4});
    EXPECT_TRUE(monitor.observe(answered(0, 500)).empty());  // 1 of 1, but too few requests
    EXPECT_TRUE(monitor.observe(answered(1, 500)).empty());
    EXPECT_TRUE(monitor.observe(answered(2, 200)).empty());
    EXPECT_TRUE(monitor.observe(answered(3, 200)).empty());  // 2 of 4: not above 0.5
    std::vector<Alert> fired = monitor.observe(answered(4, 503));
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].rule, "error_rate");
    EXPECT_DOUBLE_EQ(fired[0].value, 0.6);
    EXPECT_EQ(fired[0].requests, 5);
    EXPECT_TRUE(monitor.observe(answered(5, 500)).empty());  // suppressed
}

TEST(AlertMonitor, LatencyP95FiresAboveTheBound) {
    AlertMonitor monitor({.auth_failures = 0,
                          .error_rate = 0,
                          .latency_p95_ms = 1'000,
                          .latency_window_ms = 600'000,
                          .min_requests = 20});
    int64_t t = 0;
    // 19 fast and 1 slow of 20: the p95 (the 19th) is fast.
    for (int i = 0; i < 19; ++i)
        EXPECT_TRUE(monitor.observe(answered(t += 2'000, 200, 50)).empty());
    EXPECT_TRUE(monitor.observe(answered(t += 2'000, 200, 5'000)).empty());
    // One more slow: 2 of 21, the p95 (the 20th) is slow.
    std::vector<Alert> fired = monitor.observe(answered(t += 2'000, 200, 5'000));
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].rule, "latency_ms");
    EXPECT_EQ(fired[0].value, 5'000);
    EXPECT_EQ(fired[0].requests, 21);
}

TEST(AlertMonitor, RulesAtZeroAreOff) {
    AlertMonitor monitor(
        {.auth_failures = 0, .error_rate = 0, .latency_p95_ms = 0, .min_requests = 1});
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(monitor.observe(refused(i, "10.0.0.1")).empty());
        EXPECT_TRUE(monitor.observe(answered(i, 500, 99'999)).empty());
    }
}

}  // namespace
}  // namespace assistd::security
