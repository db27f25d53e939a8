// SystemdNotify: tells systemd (a `Type=notify` unit) how the service is doing, over the datagram
// socket named by $NOTIFY_SOCKET: READY=1 once it serves, RELOADING=1 … READY=1 around a SIGHUP
// reload, STOPPING=1 when it drains, and WATCHDOG=1 keep-alives when the unit sets WatchdogSec.
// Outside systemd (no $NOTIFY_SOCKET) every call does nothing.
#pragma once

#include <chrono>
#include <optional>

namespace assistd::ops {

class SystemdNotify {
  public:
    void ready() const;
    void reloading() const;
    void stopping() const;
    void watchdog() const;
    // How often to call watchdog(): half of WatchdogSec, so one late ping is not yet fatal;
    // nullopt when the unit has no watchdog.
    std::optional<std::chrono::milliseconds> watchdog_interval() const;
};

}  // namespace assistd::ops
