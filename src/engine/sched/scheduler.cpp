#include "engine/sched/scheduler.h"

#include <algorithm>
#include <chrono>

#include "engine/generate/decoding.h"

namespace assistd {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// Batches larger than this leave too little of a step for prompts (kMaxStepTokens in all).
constexpr int kMaxBatchSize = static_cast<int>(kMaxStepTokens / 2);

}  // namespace

// One sequence in flight: its job, its KV cache and its decoding.
struct Scheduler::Running {
    Running(std::shared_ptr<GenerationJob> j, Sequence s, Decoding d)
        : job(std::move(j)), seq(std::move(s)), decoding(std::move(d)) {}

    std::shared_ptr<GenerationJob> job;
    Sequence seq;
    Decoding decoding;
    int64_t computed = 0;           // positions whose keys and values are in the cache
    std::vector<uint64_t> entries;  // the prefix-cache entry of each full block computed
    int64_t n_cached = 0;           // prompt tokens reused when it first joined
    bool joined = false;
    Clock::time_point started = Clock::now();
    Clock::time_point first_token{};

    int64_t known() const { return static_cast<int64_t>(decoding.tokens().size()); }

    GenerationStats stats() const {
        GenerationStats stats;
        stats.n_prompt = decoding.n_prompt();
        stats.n_cached = n_cached;
        stats.n_generated = decoding.n_generated();
        stats.finish = decoding.finished() ? decoding.finish() : FinishReason::Cancelled;
        const Clock::time_point now = Clock::now();
        const Clock::time_point prompt_end = first_token == Clock::time_point{} ? now : first_token;
        stats.queue_seconds = seconds_between(job->submitted, started);
        stats.prompt_seconds = seconds_between(started, prompt_end);
        stats.generate_seconds = seconds_between(prompt_end, now);
        return stats;
    }
};

Result<std::unique_ptr<Scheduler>> Scheduler::create(const Model& model, const Tokenizer& tokenizer,
                                                     SchedulerOptions options) {
    if (options.max_batch_size < 1 || options.max_batch_size > kMaxBatchSize) {
        return Error{"scheduler: max_batch_size must be 1.." + std::to_string(kMaxBatchSize) +
                     ", not " + std::to_string(options.max_batch_size)};
    }
    if (options.prefill_chunk < 1 || options.prefill_chunk > kMaxStepTokens) {
        return Error{"scheduler: prefill_chunk must be 1.." + std::to_string(kMaxStepTokens) +
                     ", not " + std::to_string(options.prefill_chunk)};
    }
    options.n_ctx = model.context_size(options.n_ctx);
    const int64_t block_bytes = KvBlockPool::block_bytes(model.hparams());
    const int64_t one_sequence = KvBlockPool::blocks_for(options.n_ctx);
    const int64_t capacity = options.kv_cache_bytes > 0 ? options.kv_cache_bytes / block_bytes
                                                        : options.max_batch_size * one_sequence;
    if (capacity < one_sequence) {
        return Error{"scheduler: a KV cache of " + std::to_string(options.kv_cache_bytes) +
                     " bytes cannot hold one sequence of " + std::to_string(options.n_ctx) +
                     " positions, which needs " + std::to_string(one_sequence * block_bytes) +
                     " bytes"};
    }
    options.kv_cache_bytes = capacity * block_bytes;
    return std::unique_ptr<Scheduler>(new Scheduler(model, tokenizer, options, capacity));
}

Scheduler::Scheduler(const Model& model, const Tokenizer& tokenizer, SchedulerOptions options,
                     int64_t capacity_blocks)
    : model_(model),
      tokenizer_(tokenizer),
      options_(options),
      pool_(options.threads),
      kv_pool_(std::make_shared<KvBlockPool>(model.hparams(), capacity_blocks)),
      prefix_cache_(*kv_pool_),
      kv_usage_{.capacity_blocks = capacity_blocks},
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
        job->submitted = Clock::now();
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return Admission::Accepted;
}

size_t Scheduler::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

size_t Scheduler::running() const {
    std::lock_guard lock(mutex_);
    return running_count_;
}

SchedulerCounters Scheduler::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

KvUsage Scheduler::kv_usage() const {
    std::lock_guard lock(mutex_);
    return kv_usage_;
}

void Scheduler::run() {
    while (admit()) step();
    stop_all();
}

bool Scheduler::admit() {
    drop_cancelled();
    const auto room = [this] {
        return running_.size() < static_cast<size_t>(options_.max_batch_size);
    };
    // Sequences that already started come first, oldest first.
    while (room() && !preempted_.empty() && place(*preempted_.front())) {
        running_.push_back(std::move(preempted_.front()));
        preempted_.pop_front();
    }
    std::vector<std::shared_ptr<GenerationJob>> taken;
    {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] {
            return stopping_ || !queue_.empty() || !running_.empty() || !preempted_.empty();
        });
        if (stopping_) return false;
        while (preempted_.empty() &&
               running_.size() + taken.size() < static_cast<size_t>(options_.max_batch_size) &&
               !queue_.empty()) {
            std::shared_ptr<GenerationJob> job = std::move(queue_.front());
            queue_.pop_front();
            if (job->is_cancelled()) {
                ++counters_.cancelled_queued;
                lock.unlock();
                job->on_done(Error{"cancelled before it started"});
                lock.lock();
                continue;
            }
            taken.push_back(std::move(job));
        }
    }
    for (auto& job : taken) {
        std::unique_ptr<Running> seq = start(std::move(job));
        if (!seq) continue;
        if (preempted_.empty() && place(*seq)) {
            running_.push_back(std::move(seq));
        } else {
            preempted_.push_back(std::move(seq));  // waits, first in line, for blocks
        }
    }
    std::lock_guard lock(mutex_);
    publish_kv_usage();
    return true;
}

std::unique_ptr<Scheduler::Running> Scheduler::start(std::shared_ptr<GenerationJob> job) {
    const int64_t n_ctx = model_.context_size(job->params.n_ctx);
    Result<void> ok = n_ctx > options_.n_ctx
                          ? Result<void>(Error{"generate: a context of " + std::to_string(n_ctx) +
                                               " positions is more than this scheduler's " +
                                               std::to_string(options_.n_ctx)})
                          : check_generation(job->params, job->prompt, tokenizer_, n_ctx);
    if (!ok) {
        {
            std::lock_guard lock(mutex_);
            ++counters_.failed;
        }
        job->on_done(ok.error());
        return nullptr;
    }
    Decoding decoding(tokenizer_, job->params, static_cast<int32_t>(model_.hparams().n_vocab),
                      n_ctx, job->prompt);
    Sequence seq = model_.new_sequence(kv_pool_, n_ctx);
    {
        std::lock_guard lock(mutex_);
        ++running_count_;
    }
    return std::make_unique<Running>(std::move(job), std::move(seq), std::move(decoding));
}

bool Scheduler::place(Running& seq) {
    PrefixMatch hit = prefix_cache_.match(seq.decoding.tokens());
    seq.seq.kv.adopt(hit.blocks);
    // Blocks for every token it knows and the next, taken now: its prompt can be read to the end
    // without preempting anyone, and the next placement sees what is really left.
    const int64_t positions = std::min(seq.known() + 1, seq.seq.kv.n_ctx());
    const int64_t needed = seq.seq.kv.blocks_needed(positions);
    while (kv_pool_->available() < needed && prefix_cache_.evict_one()) {
    }
    if (!seq.seq.kv.reserve(positions)) {
        seq.seq.kv.clear();
        return false;
    }
    seq.computed = hit.tokens();
    seq.entries = std::move(hit.entries);
    if (!seq.joined) {
        seq.joined = true;
        seq.n_cached = hit.tokens();
        std::lock_guard lock(mutex_);
        counters_.prefix_queried_tokens += static_cast<uint64_t>(seq.decoding.n_prompt());
        counters_.prefix_hit_tokens += static_cast<uint64_t>(hit.tokens());
    }
    return true;
}

template <typename List, typename Predicate>
void Scheduler::end_if(List& list, Predicate ends) {
    for (size_t i = list.size(); i-- > 0;) {
        if (!ends(*list[i])) continue;
        std::unique_ptr<Running> seq = std::move(list[i]);
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        end(std::move(seq));
    }
}

void Scheduler::drop_cancelled() {
    const auto cancelled = [](const Running& seq) { return seq.job->is_cancelled(); };
    end_if(running_, cancelled);
    end_if(preempted_, cancelled);
}

void Scheduler::step() {
    if (running_.empty()) return;
    int64_t decoding = 0;
    for (const auto& seq : running_) decoding += seq->known() - seq->computed == 1 ? 1 : 0;
    int64_t prompt_budget = std::min(options_.prefill_chunk, kMaxStepTokens - decoding);

    std::vector<SequenceStep> steps;
    std::vector<Running*> stepped;
    for (size_t i = 0; i < running_.size(); ++i) {
        Running& seq = *running_[i];
        const int64_t remaining = seq.known() - seq.computed;
        const int64_t n = remaining == 1 ? 1 : std::min(remaining, prompt_budget);
        if (n == 0) continue;
        const int64_t needed = seq.seq.kv.blocks_needed(seq.computed + n);
        if (needed > kv_pool_->available() && !make_room(needed, i)) {
            preempt(i--);  // the newest left: it waits until the older ones give blocks back
            continue;
        }
        seq.seq.kv.reserve(seq.computed + n);
        if (remaining > 1) prompt_budget -= n;
        steps.push_back({&seq.seq, seq.decoding.tokens().subspan(seq.computed, n), seq.computed,
                         seq.computed + n == seq.known()});
        stepped.push_back(&seq);
    }
    if (steps.empty()) return;
    model_.forward_step(steps, act_, pool_);
    {
        std::lock_guard lock(mutex_);
        ++counters_.steps;
    }
    for (size_t i = 0; i < steps.size(); ++i) {
        after_step(*stepped[i], static_cast<int64_t>(steps[i].tokens.size()));
    }
    end_if(running_, [](const Running& seq) { return seq.decoding.finished(); });
    std::lock_guard lock(mutex_);
    publish_kv_usage();
}

bool Scheduler::make_room(int64_t blocks, size_t keep) {
    while (kv_pool_->available() < blocks) {
        if (prefix_cache_.evict_one()) continue;
        if (running_.size() <= keep + 1) return false;
        preempt(running_.size() - 1);
    }
    return true;
}

void Scheduler::preempt(size_t index) {
    std::unique_ptr<Running> seq = std::move(running_[index]);
    running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(index));
    seq->seq.kv.clear();
    seq->computed = 0;
    seq->entries.clear();
    preempted_.push_front(std::move(seq));  // the newest is preempted first: older stay ahead
    std::lock_guard lock(mutex_);
    ++counters_.preempted;
}

void Scheduler::after_step(Running& seq, int64_t ran) {
    seq.computed += ran;
    // Every block now full is offered to the prefix cache, chained to the one before it.
    const std::span<const int32_t> tokens = seq.decoding.tokens();
    for (auto k = static_cast<int64_t>(seq.entries.size());
         (k + 1) * kKvBlockTokens <= seq.computed; ++k) {
        const uint64_t parent = k == 0 ? PrefixCache::kRoot : seq.entries[k - 1];
        seq.entries.push_back(prefix_cache_.insert(
            parent, tokens.subspan(k * kKvBlockTokens, kKvBlockTokens), seq.seq.kv.blocks()[k]));
    }
    if (seq.computed < seq.known()) return;  // more of the prompt to read
    if (seq.first_token == Clock::time_point{}) seq.first_token = Clock::now();
    GenerationJob& job = *seq.job;
    seq.decoding.next(seq.seq.logits,
                      [&job](std::string_view text, std::span<const TokenChoice> tokens) {
                          if (job.is_cancelled()) return false;
                          job.on_text(text, tokens);
                          return !job.is_cancelled();
                      });
}

void Scheduler::end(std::unique_ptr<Running> seq) {
    const GenerationStats stats = seq->stats();
    seq->seq.kv.clear();
    {
        std::lock_guard lock(mutex_);
        --running_count_;
        publish_kv_usage();
        if (stats.finish == FinishReason::Cancelled) {
            ++counters_.cancelled_running;
        } else {
            ++counters_.completed;
        }
    }
    seq->job->on_done(stats);
}

void Scheduler::stop_all() {
    // Shutting down: every sequence ends as cancelled and whoever still waits is told, so no
    // request hangs.
    const auto every = [](const Running&) { return true; };
    end_if(running_, every);
    end_if(preempted_, every);
    std::deque<std::shared_ptr<GenerationJob>> left;
    {
        std::lock_guard lock(mutex_);
        left.swap(queue_);
    }
    for (const auto& job : left) job->on_done(Error{"the server is shutting down"});
}

void Scheduler::publish_kv_usage() {
    kv_usage_.used_blocks = kv_pool_->used();
    kv_usage_.cached_blocks = prefix_cache_.blocks();
}

}  // namespace assistd
