// RestartBackoff: how long the master waits before replacing a worker that died. A worker that
// keeps dying right after it starts (a bad model file, a crash on the first request) is restarted
// ever more slowly — 0.1 s, 0.2 s, 0.4 s, … up to a cap — instead of in a busy loop; one that
// stayed up for a while before it died starts the schedule over.
#pragma once

#include <chrono>

namespace assistd::server {

class RestartBackoff {
  public:
    using Duration = std::chrono::milliseconds;

    struct Schedule {
        Duration first{100};
        Duration cap{10'000};
        Duration stable{30'000};  // a worker up this long is healthy: its next death waits `first`
    };

    RestartBackoff() : RestartBackoff(Schedule{}) {}
    explicit RestartBackoff(Schedule schedule) : schedule_(schedule) {}

    // A worker died after running `uptime`: how long to wait before starting its replacement.
    Duration after_death(Duration uptime);

  private:
    Schedule schedule_;
    int quick_deaths_ = 0;  // deaths in a row, each before the worker ran `stable`
};

}  // namespace assistd::server
