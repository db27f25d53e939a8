// The master's decisions about its workers: how long to wait before replacing a dead one, and
// when a silent one counts as hung.
#include <gtest/gtest.h>

#include "server/heartbeat_watchdog.h"
#include "server/restart_backoff.h"

namespace assistd::server {
namespace {

using std::chrono::milliseconds;

TEST(RestartBackoff, DoublesWhileWorkersDieQuicklyUpToTheCap) {
    RestartBackoff backoff(
        {.first = milliseconds(100), .cap = milliseconds(1'000), .stable = milliseconds(30'000)});
    std::vector<int64_t> delays;
    for (int i = 0; i < 6; ++i) delays.push_back(backoff.after_death(milliseconds(50)).count());
    EXPECT_EQ(delays, (std::vector<int64_t>{100, 200, 400, 800, 1'000, 1'000}));
}

TEST(RestartBackoff, AWorkerThatStayedUpStartsTheScheduleOver) {
    RestartBackoff backoff(
        {.first = milliseconds(100), .cap = milliseconds(10'000), .stable = milliseconds(30'000)});
    for (int i = 0; i < 4; ++i) backoff.after_death(milliseconds(10));
    EXPECT_EQ(backoff.after_death(milliseconds(29'999)), milliseconds(1'600));
    EXPECT_EQ(backoff.after_death(milliseconds(30'000)), milliseconds(100));
    EXPECT_EQ(backoff.after_death(milliseconds(10)), milliseconds(200));
}

TEST(HeartbeatWatchdog, AStartingWorkerHasTheGraceThenEachBeatBuysTheTimeout) {
    const HeartbeatWatchdog::Clock::time_point start{};
    HeartbeatWatchdog watchdog(milliseconds(2'000), milliseconds(60'000), start);
    EXPECT_FALSE(watchdog.silent_too_long(start + milliseconds(59'000)));
    EXPECT_TRUE(watchdog.silent_too_long(start + milliseconds(60'001)));

    watchdog.beat(start + milliseconds(10'000));
    EXPECT_FALSE(watchdog.silent_too_long(start + milliseconds(12'000)));
    EXPECT_TRUE(watchdog.silent_too_long(start + milliseconds(12'001)));
    EXPECT_EQ(watchdog.deadline(), start + milliseconds(12'000));
}

}  // namespace
}  // namespace assistd::server
