// NotifySocket: a unix datagram socket standing in for systemd's, set as $NOTIFY_SOCKET while it
// lives, so a test reads what sd_notify() sent.
#pragma once

#include <string>

namespace assistd::testing {

class NotifySocket {
  public:
    explicit NotifySocket(const std::string& path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The next message; "" when none came within 30 s.
    std::string next_message();

  private:
    int fd_ = -1;
};

}  // namespace assistd::testing
