// Scheduler: runs generation requests for one model on a dedicated engine thread with continuous
// batching. The transport submits work and gets text back through callbacks; it never touches
// the model.
//
//   Scheduler scheduler(model, tokenizer, {.threads = 2, .max_batch_size = 8, .n_ctx = 4096});
//   auto job = std::make_shared<GenerationJob>(...);
//   if (scheduler.submit(job) == Admission::QueueFull) ... 429
//   job->cancel();   // client went away: a queued job never starts, a running one stops
//
// Each step runs one token of every decoding sequence (up to max_batch_size) and a chunk of the
// prompts still being read, in one pass over the weights; sequences join and leave between steps,
// first come first served. Keys and values live in blocks of one pool of kv_cache_bytes. Full
// blocks of computed tokens stay in a prefix cache, so a request that starts like an earlier one
// (a system prompt, a conversation's earlier turns) skips that part of its prompt. When the pool
// runs out, the sequence that joined last gives its blocks back and is recomputed later: nothing
// is lost, and its text continues exactly where it was. A sequence's tokens never depend on what
// it is batched with.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"
#include "engine/generate/generator.h"
#include "engine/model/model.h"
#include "engine/sched/prefix_cache.h"
#include "engine/tensor/thread_pool.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd {

// One request's generation. The callbacks run on the engine thread and must not block.
struct GenerationJob {
    std::vector<int32_t> prompt;
    GenerationParams params;  // params.n_ctx: at most the scheduler's n_ctx
    std::function<void(std::string_view text, std::span<const TokenChoice> tokens)> on_text;
    std::function<void(Result<GenerationStats> result)> on_done;  // exactly once

    void cancel() { cancelled.store(true, std::memory_order_relaxed); }
    bool is_cancelled() const { return cancelled.load(std::memory_order_relaxed); }

    std::atomic<bool> cancelled{false};
    std::chrono::steady_clock::time_point submitted{};  // set by submit(), for queue_seconds
};

enum class Admission { Accepted, QueueFull, Stopped };

struct SchedulerOptions {
    int threads = 1;              // compute threads of the forward pass
    size_t max_queued = 64;       // jobs waiting to start; more are refused
    int max_batch_size = 8;       // sequences in flight together
    int64_t prefill_chunk = 128;  // prompt tokens read per step, across all sequences
    int64_t n_ctx = 0;            // the longest context of a job (0: the model's default)
    int64_t kv_cache_bytes = 0;   // 0: room for max_batch_size sequences of n_ctx positions
};

struct SchedulerCounters {
    uint64_t completed = 0;          // ran to a stop, max_tokens or a full context
    uint64_t cancelled_running = 0;  // stopped mid-generation because the client went away
    uint64_t cancelled_queued = 0;   // dropped before they started
    uint64_t failed = 0;
    uint64_t preempted = 0;              // gave their blocks back to be recomputed later
    uint64_t steps = 0;                  // forward passes run
    uint64_t prefix_queried_tokens = 0;  // prompt tokens looked up in the prefix cache
    uint64_t prefix_hit_tokens = 0;      // of those, found there
};

// What the KV pool holds right now.
struct KvUsage {
    int64_t capacity_blocks = 0;
    int64_t used_blocks = 0;    // by running sequences and the prefix cache
    int64_t cached_blocks = 0;  // kept by the prefix cache
};

class Scheduler {
  public:
    // Error when kv_cache_bytes cannot hold one sequence of n_ctx positions.
    static Result<std::unique_ptr<Scheduler>> create(const Model& model, const Tokenizer& tokenizer,
                                                     SchedulerOptions options);
    ~Scheduler();  // running sequences end as cancelled, queued jobs fail
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    Admission submit(std::shared_ptr<GenerationJob> job);

    size_t queued() const;
    size_t running() const;
    SchedulerCounters counters() const;
    KvUsage kv_usage() const;
    const SchedulerOptions& options() const { return options_; }

  private:
    struct Running;
    Scheduler(const Model& model, const Tokenizer& tokenizer, SchedulerOptions options,
              int64_t capacity_blocks);

    void run();
    // Moves waiting work into the batch while it has room; false when stopping.
    bool admit();
    std::unique_ptr<Running> start(std::shared_ptr<GenerationJob> job);
    // Gives a waiting sequence what it needs to join the batch: its cached prefix and blocks for
    // the rest of its tokens. False, holding nothing, when the pool cannot supply them now.
    bool place(Running& seq);
    void drop_cancelled();
    void step();
    // Makes room for `blocks` more blocks: the prefix cache first, then preemption of the
    // sequences that joined after running_[keep]. False when even that is not enough.
    bool make_room(int64_t blocks, size_t keep);
    void preempt(size_t index);
    void after_step(Running& seq, int64_t ran);
    // Ends a sequence: its blocks go back, its job hears how it went.
    void end(std::unique_ptr<Running> seq);
    // Ends the sequences of `list` for which `ends` holds.
    template <typename List, typename Predicate>
    void end_if(List& list, Predicate ends);
    void stop_all();
    void publish_kv_usage();  // for other threads; the caller holds mutex_

    const Model& model_;
    const Tokenizer& tokenizer_;
    const SchedulerOptions options_;
    ThreadPool pool_;
    std::shared_ptr<KvBlockPool> kv_pool_;
    PrefixCache prefix_cache_;
    Activations act_;

    // Engine thread only.
    std::vector<std::unique_ptr<Running>> running_;   // in the order they joined
    std::deque<std::unique_ptr<Running>> preempted_;  // waiting to be recomputed, first out first

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<GenerationJob>> queue_;
    bool stopping_ = false;
    size_t running_count_ = 0;  // sequences started and not yet ended, for other threads
    SchedulerCounters counters_;
    KvUsage kv_usage_;
    std::thread thread_;  // last: starts after everything it reads
};

}  // namespace assistd
