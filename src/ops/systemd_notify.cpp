#include "ops/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace assistd::ops {
namespace {

void notify(const std::string& state) {
    // A service manager that cannot be told is no reason to stop serving.
    (void)sd_notify(0, state.c_str());
}

}  // namespace

void SystemdNotify::ready() const {
    notify("READY=1\nSTATUS=serving");
}

void SystemdNotify::reloading() const {
    // systemd's notify-reload protocol wants the monotonic time the reload started at.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1'000;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading");
}

void SystemdNotify::stopping() const {
    notify("STOPPING=1\nSTATUS=draining");
}

void SystemdNotify::watchdog() const {
    notify("WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> SystemdNotify::watchdog_interval() const {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::milliseconds(std::max<uint64_t>(1, usec / 2'000));
}

}  // namespace assistd::ops
