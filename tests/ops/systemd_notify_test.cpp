// SystemdNotify against a real unix datagram socket set as $NOTIFY_SOCKET.
#include "ops/systemd_notify.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "support/notify_socket.h"
#include "support/temp_dir.h"

namespace assistd::ops {
namespace {

TEST(SystemdNotify, SendsEachStateToTheNotifySocket) {
    testing::TempDir dir;
    testing::NotifySocket systemd(dir.file("notify"));
    SystemdNotify notify;

    notify.ready();
    EXPECT_EQ(systemd.next_message(), "READY=1\nSTATUS=serving");
    notify.reloading();
    const std::string reloading = systemd.next_message();
    EXPECT_TRUE(reloading.starts_with("RELOADING=1\nMONOTONIC_USEC=")) << reloading;
    EXPECT_GT(std::stoll(reloading.substr(reloading.find('=', 12) + 1)), 0);
    notify.ready();
    EXPECT_EQ(systemd.next_message(), "READY=1\nSTATUS=serving");
    notify.watchdog();
    EXPECT_EQ(systemd.next_message(), "WATCHDOG=1");
    notify.stopping();
    EXPECT_EQ(systemd.next_message(), "STOPPING=1\nSTATUS=draining");
}

TEST(SystemdNotify, PingsTheWatchdogTwicePerWatchdogPeriod) {
    const std::string pid = std::to_string(::getpid());
    ::setenv("WATCHDOG_PID", pid.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    EXPECT_EQ(SystemdNotify().watchdog_interval(), std::chrono::milliseconds(1500));
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    EXPECT_EQ(SystemdNotify().watchdog_interval(), std::nullopt);
}

}  // namespace
}  // namespace assistd::ops
