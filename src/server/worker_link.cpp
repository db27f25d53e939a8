#include "server/worker_link.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "ops/metrics_merge.h"

namespace assistd::server {

void add_worker_count_metrics(ops::MetricsRegistry& registry, uint64_t restarts, size_t workers) {
    registry
        .counter("assistd_worker_restarts_total",
                 "Workers the master replaced after they died or stopped answering.")
        .add(static_cast<double>(restarts));
    registry.gauge("assistd_workers", "Worker processes of the generation that serves.")
        .set(static_cast<double>(workers));
}

void WorkerLink::send(WorkerMessage message) const {
    const char byte = static_cast<char>(message);
    // The pipe is non-blocking: a master too busy to read misses a beat rather than stalling us.
    (void)::write(to_master_, &byte, 1);
}

void WorkerLink::heartbeat(const ops::MetricsRegistry& own) {
    if (!board_.post(slot_, own.render())) {
        spdlog::warn("metrics text over {} KiB: the other workers' /metrics leave this one out",
                     WorkerMetricsBoard::kSlotBytes >> 10);
    }
    send(WorkerMessage::Heartbeat);
}

std::string WorkerLink::generation_metrics(const ops::MetricsRegistry& own) const {
    ops::MetricsRegistry master;
    add_worker_count_metrics(master, board_.restarts(), board_.workers_beside(slot_));
    std::vector<std::string> texts{own.render()};
    for (std::string& other : board_.texts_beside(slot_)) texts.push_back(std::move(other));
    texts.push_back(master.render());
    return ops::merge_metric_texts(texts);
}

}  // namespace assistd::server
