#include "engine/sched/scheduler.h"

namespace assistd {

Scheduler::Scheduler(const Model& model, const Tokenizer& tokenizer, SchedulerOptions options)
    : model_(model),
      tokenizer_(tokenizer),
      options_(options),
      pool_(options.threads),
      thread_([this] { run(); }) {}

Scheduler::~Scheduler() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

Admission Scheduler::submit(std::shared_ptr<GenerationJob> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return Admission::Stopped;
        if (queue_.size() >= options_.max_queued) return Admission::QueueFull;
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return Admission::Accepted;
}

size_t Scheduler::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

SchedulerCounters Scheduler::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

void Scheduler::run() {
    for (;;) {
        std::shared_ptr<GenerationJob> job;
        bool dropped = false;  // read once, so the counter and the answer agree
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) break;
            job = std::move(queue_.front());
            queue_.pop_front();
            dropped = job->is_cancelled();
            if (dropped) ++counters_.cancelled_queued;
        }
        if (dropped) {
            job->on_done(Error{"cancelled before it started"});
            continue;
        }
        execute(*job);
    }
    // Shutting down: whoever still waits is told, so no request hangs.
    std::deque<std::shared_ptr<GenerationJob>> left;
    {
        std::lock_guard lock(mutex_);
        left.swap(queue_);
    }
    for (const auto& job : left) job->on_done(Error{"the server is shutting down"});
}

void Scheduler::execute(GenerationJob& job) {
    Result<GenerationStats> result =
        generate(model_, tokenizer_, pool_, job.prompt, job.params,
                 [&job](std::string_view text, std::span<const TokenChoice> tokens) {
                     if (job.is_cancelled()) return false;
                     job.on_text(text, tokens);
                     return !job.is_cancelled();
                 });
    {
        std::lock_guard lock(mutex_);
        if (!result) {
            ++counters_.failed;
        } else if (result->finish == FinishReason::Cancelled) {
            ++counters_.cancelled_running;
        } else {
            ++counters_.completed;
        }
    }
    job.on_done(std::move(result));
}

}  // namespace assistd
