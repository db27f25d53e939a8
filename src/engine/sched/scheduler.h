// Scheduler: runs generation requests for one model on a dedicated engine thread, first come
// first served, from a bounded queue. The transport submits work and gets text back through
// callbacks; it never touches the model.
//
//   Scheduler scheduler(model, tokenizer, {.threads = 2, .max_queued = 64});
//   auto job = std::make_shared<GenerationJob>(...);
//   if (scheduler.submit(job) == Admission::QueueFull) ... 429
//   job->cancel();   // client went away: a queued job never starts, a running one stops
//
// One sequence decodes at a time; continuous batching replaces this loop, not its interface.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"
#include "engine/generate/generator.h"
#include "engine/model/model.h"
#include "engine/tensor/thread_pool.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd {

// One request's generation. The callbacks run on the engine thread and must not block.
struct GenerationJob {
    std::vector<int32_t> prompt;
    GenerationParams params;
    std::function<void(std::string_view text, std::span<const TokenChoice> tokens)> on_text;
    std::function<void(Result<GenerationStats> result)> on_done;  // exactly once

    void cancel() { cancelled.store(true, std::memory_order_relaxed); }
    bool is_cancelled() const { return cancelled.load(std::memory_order_relaxed); }

    std::atomic<bool> cancelled{false};
};

enum class Admission { Accepted, QueueFull, Stopped };

struct SchedulerOptions {
    int threads = 1;         // compute threads of the forward pass
    size_t max_queued = 64;  // jobs waiting beyond the running one; more are refused
};

struct SchedulerCounters {
    uint64_t completed = 0;          // ran to a stop, max_tokens or a full context
    uint64_t cancelled_running = 0;  // stopped mid-generation because the client went away
    uint64_t cancelled_queued = 0;   // dropped before they started
    uint64_t failed = 0;
};

class Scheduler {
  public:
    Scheduler(const Model& model, const Tokenizer& tokenizer, SchedulerOptions options);
    ~Scheduler();  // finishes the running job, fails the queued ones as cancelled
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    Admission submit(std::shared_ptr<GenerationJob> job);

    size_t queued() const;
    SchedulerCounters counters() const;

  private:
    void run();
    void execute(GenerationJob& job);

    const Model& model_;
    const Tokenizer& tokenizer_;
    const SchedulerOptions options_;
    ThreadPool pool_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<GenerationJob>> queue_;
    bool stopping_ = false;
    SchedulerCounters counters_;
    std::thread thread_;  // last: starts after everything it reads
};

}  // namespace assistd
