// serve(): the server process of `assistd serve` — one model, its scheduler, the HTTP routes,
// and a graceful shutdown on SIGTERM/SIGINT. Returns the process exit code.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/sched/scheduler.h"
#include "server/openai_routes.h"
#include "server/server_limits.h"

namespace assistd::server {

struct ServeSettings {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port (logged)
    ServerLimits limits;
    SchedulerOptions scheduler;
    std::chrono::milliseconds shutdown_deadline{30'000};
};

int serve(const ServeSettings& settings, ServedModel served);

}  // namespace assistd::server
