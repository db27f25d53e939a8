// WorkerLink: what a worker process (see supervisor.h) has from its master — the listening
// socket the master bound, the pipe it talks to the master on, and its slot on the shared
// metrics board. serve() uses it to adopt the socket instead of binding one, to say "ready"
// once it accepts, to beat its heart from its event loop, and to answer /metrics with the totals
// of its whole generation.
//
// The pipe carries one byte per message: 'R' ready, 'H' heartbeat.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ops/metrics.h"
#include "server/worker_metrics_board.h"

namespace assistd::server {

enum class WorkerMessage : char { Ready = 'R', Heartbeat = 'H' };

// assistd_worker_restarts_total and assistd_workers: the master's counts in a worker's /metrics,
// a single process's (0 and 1) in its own, so dashboards and alerts read both alike.
void add_worker_count_metrics(ops::MetricsRegistry& registry, uint64_t restarts, size_t workers);

class WorkerLink {
  public:
    WorkerLink(int listener, int to_master, WorkerMetricsBoard& board, size_t slot,
               std::chrono::milliseconds heartbeat_interval)
        : listener_(listener),
          to_master_(to_master),
          board_(board),
          slot_(slot),
          heartbeat_interval_(heartbeat_interval) {}

    int listener() const { return listener_; }
    std::chrono::milliseconds heartbeat_interval() const { return heartbeat_interval_; }

    void ready() const { send(WorkerMessage::Ready); }
    // Posts this worker's metrics for the others, then tells the master it is alive.
    void heartbeat(const ops::MetricsRegistry& own);
    // This worker's metrics added to the others' of its generation, with the master's counts.
    std::string generation_metrics(const ops::MetricsRegistry& own) const;

  private:
    void send(WorkerMessage message) const;

    int listener_;
    int to_master_;
    WorkerMetricsBoard& board_;
    size_t slot_;
    std::chrono::milliseconds heartbeat_interval_;
};

}  // namespace assistd::server
