#include "server/restart_backoff.h"

#include <algorithm>

namespace assistd::server {

RestartBackoff::Duration RestartBackoff::after_death(Duration uptime) {
    if (uptime >= schedule_.stable) quick_deaths_ = 0;
    Duration delay = schedule_.first;
    for (int i = 0; i < quick_deaths_ && delay < schedule_.cap; ++i) delay *= 2;
    ++quick_deaths_;
    return std::min(delay, schedule_.cap);
}

}  // namespace assistd::server
