// SystemdNotify against a real unix datagram socket standing in for systemd's $NOTIFY_SOCKET.
#include "ops/systemd_notify.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "support/temp_dir.h"

namespace assistd::ops {
namespace {

class FakeServiceManager {
  public:
    explicit FakeServiceManager(const std::string& path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        path.copy(address.sun_path, sizeof address.sun_path - 1);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        timeval timeout{.tv_sec = 10, .tv_usec = 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    }
    ~FakeServiceManager() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(fd_);
    }
    std::string next_message() {
        char buffer[4096];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        return got > 0 ? std::string(buffer, static_cast<size_t>(got)) : "";
    }

  private:
    int fd_ = -1;
};

TEST(SystemdNotify, SendsEachStateToTheNotifySocket) {
    testing::TempDir dir;
    FakeServiceManager systemd(dir.file("notify"));
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
