// HeartbeatWatchdog: whether a worker has gone silent. A worker beats from its event loop (see
// WorkerLink), so a worker whose loop is stuck — a deadlock, an endless loop, SIGSTOP — stops
// beating, and the master kills it once it has been silent longer than the timeout. A worker that
// is still starting (creating its scheduler) gets a longer grace before its first beat.
#pragma once

#include <chrono>

namespace assistd::server {

class HeartbeatWatchdog {
  public:
    using Clock = std::chrono::steady_clock;

    HeartbeatWatchdog(std::chrono::milliseconds timeout, std::chrono::milliseconds start_grace,
                      Clock::time_point started)
        : timeout_(timeout), start_grace_(start_grace), last_sign_of_life_(started) {}

    void beat(Clock::time_point now) {
        last_sign_of_life_ = now;
        beating_ = true;
    }
    bool silent_too_long(Clock::time_point now) const { return now > deadline(); }
    Clock::time_point deadline() const {
        return last_sign_of_life_ + (beating_ ? timeout_ : start_grace_);
    }

  private:
    std::chrono::milliseconds timeout_;
    std::chrono::milliseconds start_grace_;
    Clock::time_point last_sign_of_life_;
    bool beating_ = false;
};

}  // namespace assistd::server
