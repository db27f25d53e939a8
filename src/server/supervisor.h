// supervise(): the master process of `assistd serve` when service.workers > 1.
//
// The master loads the configuration and the model, binds the listening socket, then forks the
// workers, which inherit both: the weights are shared copy-on-write (they are never written) and
// the one socket has one accept queue all workers take connections from. It then only watches:
//   - a worker that dies is replaced, after a backoff that grows while replacements keep dying
//     (RestartBackoff), and counted (assistd_worker_restarts_total);
//   - a worker that stops beating (HeartbeatWatchdog, service.watchdog_seconds) is killed with
//     SIGKILL and replaced;
//   - SIGHUP loads the configuration and model again and starts a new generation of workers; once
//     every one of them says it accepts, the old ones get SIGTERM and drain (they stop accepting
//     and finish what they have). A configuration, model or worker that fails on the way leaves
//     the old generation serving. The listening address cannot change without a restart;
//   - SIGTERM/SIGINT: every worker drains, then the master exits 0.
// A generation whose workers die before the first of them is ready is broken, not unlucky: at
// start the master gives up (exit 1), on a reload it keeps the old one.
// systemd hears READY=1, RELOADING=1, STOPPING=1 and, with WatchdogSec, WATCHDOG=1 from the master.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"
#include "server/worker_link.h"

namespace assistd::server {

// What one generation of workers serves, read by the master before it forks them (each worker
// loads its models itself: see serve_models in cli/serve_command.cpp).
struct WorkerPlan {
    std::string host;
    uint16_t port = 0;
    int workers = 1;
    std::chrono::milliseconds watchdog{30'000};  // silence after which a worker is killed
    // Runs in each forked worker until it has drained; returns its exit status.
    std::function<int(WorkerLink&)> serve;
};

// Reads the configuration (again, on SIGHUP).
using LoadWorkerPlan = std::function<Result<WorkerPlan>()>;

// Returns the master's exit status.
int supervise(const LoadWorkerPlan& load);

}  // namespace assistd::server
