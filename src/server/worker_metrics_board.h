// WorkerMetricsBoard: a shared memory segment the master maps before it forks, so every worker
// of every generation sees the same one. Each worker owns a slot where it posts its latest
// metrics text (on its heartbeat); a worker answering GET /metrics reads the slots of its own
// generation and adds them up (ops::merge_metric_texts). The master claims and frees slots as
// workers start and die, and counts restarts in the header.
//
// Slots are seqlocks: the one writer bumps the sequence to odd, copies, bumps it to even;
// readers retry while it is odd or changed under them. Only pages that are written take memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace assistd::server {

class WorkerMetricsBoard {
  public:
    static constexpr size_t kSlotBytes = 256 << 10;  // a worker's text is ~30 KiB

    // Room for `slots` workers alive at once (both generations during a reload).
    static Result<std::unique_ptr<WorkerMetricsBoard>> create(size_t slots);
    ~WorkerMetricsBoard();
    WorkerMetricsBoard(const WorkerMetricsBoard&) = delete;
    WorkerMetricsBoard& operator=(const WorkerMetricsBoard&) = delete;

    // The master's side. claim() returns a free slot for a worker of `generation`, or nullopt
    // when all are taken.
    Result<size_t> claim(uint64_t generation);
    void release(size_t slot);
    void count_restart();

    // A worker's side. A text longer than a slot is not posted (false).
    bool post(size_t slot, std::string_view text);
    // The posted texts of the other workers of the generation `own` belongs to.
    std::vector<std::string> texts_beside(size_t own) const;
    size_t workers_beside(size_t own) const;  // `own` included
    uint64_t restarts() const;

  private:
    struct Header;
    struct Slot;
    WorkerMetricsBoard(void* memory, size_t bytes, size_t slots);
    Slot& slot(size_t index) const;
    std::string read(const Slot& slot) const;

    void* memory_;
    size_t bytes_;
    size_t slots_;
};

}  // namespace assistd::server
