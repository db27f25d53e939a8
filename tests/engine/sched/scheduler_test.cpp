#include "engine/sched/scheduler.h"

#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <string>

#include "engine/gguf/gguf_file.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

struct Stories {
    Stories() {
        const auto path = testing::shared_path("models/llm/stories260K.gguf");
        auto loaded = load_model(path);
        EXPECT_TRUE(loaded) << loaded.error().message;
        model = std::move(*loaded);
        auto tok = Tokenizer::from_gguf(model->file());
        EXPECT_TRUE(tok) << tok.error().message;
        tokenizer.emplace(std::move(*tok));
    }
    std::vector<int32_t> prompt(const std::string& text) const {
        return *tokenizer->encode(text, true);
    }
    std::unique_ptr<Model> model;
    std::optional<Tokenizer> tokenizer;
};

const Stories& stories() {
    static const Stories instance;
    return instance;
}

struct Outcome {
    std::string text;
    Result<GenerationStats> result = Error{"not done"};
};

// A job whose text and result land in a future.
std::pair<std::shared_ptr<GenerationJob>, std::future<Outcome>> make_job(const std::string& prompt,
                                                                         int64_t max_tokens,
                                                                         int64_t n_ctx = 0) {
    auto job = std::make_shared<GenerationJob>();
    job->prompt = stories().prompt(prompt);
    job->params.max_tokens = max_tokens;
    job->params.n_ctx = n_ctx;
    job->params.sampling.temperature = 0.0f;
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto text = std::make_shared<std::string>();
    job->on_text = [text](std::string_view piece, std::span<const TokenChoice>) {
        text->append(piece);
    };
    job->on_done = [promise, text](Result<GenerationStats> result) {
        promise->set_value(Outcome{*text, std::move(result)});
    };
    return {job, promise->get_future()};
}

std::unique_ptr<Scheduler> make_scheduler(SchedulerOptions options) {
    auto scheduler = Scheduler::create(*stories().model, *stories().tokenizer, options);
    if (!scheduler) throw std::runtime_error(scheduler.error().message);
    return std::move(*scheduler);
}

std::string direct_greedy(const std::string& prompt, int64_t max_tokens, int64_t n_ctx = 0) {
    ThreadPool pool(1);
    GenerationParams params;
    params.max_tokens = max_tokens;
    params.n_ctx = n_ctx;
    params.sampling.temperature = 0.0f;
    std::string text;
    auto ids = stories().prompt(prompt);
    auto stats = generate(*stories().model, *stories().tokenizer, pool, ids, params,
                          [&](std::string_view piece, std::span<const TokenChoice>) {
                              text.append(piece);
                              return true;
                          });
    EXPECT_TRUE(stats);
    return text;
}

TEST(Scheduler, RunsJobsInOrderWithTheSameTextAsGenerate) {
    auto scheduler_ptr = make_scheduler({.threads = 2, .max_queued = 8});
    Scheduler& scheduler = *scheduler_ptr;
    auto [a, a_done] = make_job("Once upon a time", 24);
    auto [b, b_done] = make_job("The cat", 16);
    ASSERT_EQ(scheduler.submit(a), Admission::Accepted);
    ASSERT_EQ(scheduler.submit(b), Admission::Accepted);
    Outcome first = a_done.get();
    Outcome second = b_done.get();
    ASSERT_TRUE(first.result) << first.result.error().message;
    ASSERT_TRUE(second.result) << second.result.error().message;
    EXPECT_EQ(first.text, direct_greedy("Once upon a time", 24));
    EXPECT_EQ(second.text, direct_greedy("The cat", 16));
    EXPECT_EQ(scheduler.counters().completed, 2u);
}

TEST(Scheduler, RefusesBeyondTheQueueAndSkipsCancelledQueuedJobs) {
    auto scheduler_ptr = make_scheduler({.threads = 1, .max_queued = 1});
    Scheduler& scheduler = *scheduler_ptr;
    // The running job holds the engine until the test lets it go.
    std::latch release(1);
    auto [running, running_done] = make_job("Once upon a time", 8);
    std::latch started(1);
    running->on_text = [&](std::string_view, std::span<const TokenChoice>) {
        started.count_down();
        release.wait();
    };
    ASSERT_EQ(scheduler.submit(running), Admission::Accepted);
    started.wait();

    auto [queued, queued_done] = make_job("The dog", 8);
    auto [refused, refused_done] = make_job("The bird", 8);
    EXPECT_EQ(scheduler.submit(queued), Admission::Accepted);
    EXPECT_EQ(scheduler.submit(refused), Admission::QueueFull);
    EXPECT_EQ(scheduler.queued(), 1u);

    queued->cancel();
    running->cancel();
    release.count_down();
    Outcome stopped = running_done.get();
    ASSERT_TRUE(stopped.result) << stopped.result.error().message;
    EXPECT_EQ(stopped.result->finish, FinishReason::Cancelled);
    EXPECT_LE(stopped.result->n_generated, 2);
    Outcome never_started = queued_done.get();
    EXPECT_FALSE(never_started.result);
    EXPECT_TRUE(never_started.text.empty());

    const SchedulerCounters counters = scheduler.counters();
    EXPECT_EQ(counters.cancelled_running, 1u);
    EXPECT_EQ(counters.cancelled_queued, 1u);
    EXPECT_EQ(counters.completed, 0u);
}

TEST(Scheduler, ReportsGenerationErrorsThroughOnDone) {
    auto scheduler_ptr = make_scheduler({.threads = 1, .max_queued = 2});
    Scheduler& scheduler = *scheduler_ptr;
    auto [job, done] = make_job("Once", 4);
    job->prompt = {1, 999999};  // outside the vocabulary
    ASSERT_EQ(scheduler.submit(job), Admission::Accepted);
    Outcome outcome = done.get();
    ASSERT_FALSE(outcome.result);
    EXPECT_NE(outcome.result.error().message.find("outside the vocabulary"), std::string::npos);
    EXPECT_EQ(scheduler.counters().failed, 1u);
}

// Prompts of different lengths (some longer than a prefill chunk) and output lengths.
const std::vector<std::pair<std::string, int64_t>> kMixedLoad = {
    {"Once upon a time", 40},
    {"The cat", 12},
    {"Lily and Tom went to the park to play with a big red ball. They ran and ran until the sun "
     "went down and the sky was dark.",
     30},
    {"One day", 25},
    {"The little bird sang a song", 18},
    {"Tim had a dog", 33},
};

struct Submitted {
    std::vector<std::future<Outcome>> done;
    std::vector<std::string> expected;
};

using Load = std::vector<std::pair<std::string, int64_t>>;

Submitted submit_all(Scheduler& scheduler, const Load& requests, int64_t n_ctx = 0) {
    Submitted load;
    // Expected texts first, so the jobs arrive together and run side by side.
    for (const auto& [prompt, max_tokens] : requests) {
        load.expected.push_back(direct_greedy(prompt, max_tokens, n_ctx));
    }
    // The engine thread could finish the first job before a descheduled test thread submits the
    // next, so the first job's first text holds the engine until every job is in the queue.
    auto all_submitted = std::make_shared<std::promise<void>>();
    std::shared_future<void> submitted = all_submitted->get_future().share();
    for (const auto& [prompt, max_tokens] : requests) {
        auto [job, done] = make_job(prompt, max_tokens, n_ctx);
        if (load.done.empty()) {
            job->on_text = [hold = submitted, text = job->on_text](
                               std::string_view piece, std::span<const TokenChoice> tokens) {
                hold.wait();
                text(piece, tokens);
            };
        }
        EXPECT_EQ(scheduler.submit(job), Admission::Accepted);
        load.done.push_back(std::move(done));
    }
    all_submitted->set_value();
    return load;
}

void expect_alone_texts(Submitted& load) {
    for (size_t i = 0; i < load.done.size(); ++i) {
        Outcome outcome = load.done[i].get();
        ASSERT_TRUE(outcome.result) << outcome.result.error().message;
        EXPECT_EQ(outcome.text, load.expected[i]) << "request " << i;
        EXPECT_NE(outcome.result->finish, FinishReason::Cancelled);
    }
}

TEST(Scheduler, BatchedRequestsGetTheirAloneTextsAndShareSteps) {
    auto scheduler = make_scheduler({.threads = 2, .max_batch_size = 4, .prefill_chunk = 16});
    Submitted load = submit_all(*scheduler, kMixedLoad);
    expect_alone_texts(load);
    const SchedulerCounters counters = scheduler->counters();
    EXPECT_EQ(counters.completed, kMixedLoad.size());
    int64_t generated = 0;
    for (const auto& entry : kMixedLoad) generated += entry.second;
    // Alone, every generated token is a step of its own; batched, many share one.
    EXPECT_LT(static_cast<int64_t>(counters.steps), generated * 2 / 3);
    const KvUsage usage = scheduler->kv_usage();
    EXPECT_EQ(usage.used_blocks, usage.cached_blocks);  // only the prefix cache holds blocks
    EXPECT_EQ(scheduler->running(), 0u);
}

TEST(Scheduler, PreemptionUnderATinyBudgetStillCompletesEveryRequestExactly) {
    SchedulerOptions options{.threads = 1, .max_batch_size = 6, .prefill_chunk = 32, .n_ctx = 64};
    options.kv_cache_bytes =
        KvBlockPool::blocks_for(64) * KvBlockPool::block_bytes(stories().model->hparams());
    auto scheduler = make_scheduler(options);
    // Each grows to the end of its context: the four blocks cannot hold two of them.
    Submitted load =
        submit_all(*scheduler, {{"Once upon a time", 60}, {"The cat", 60}, {"One day", 60}}, 64);
    expect_alone_texts(load);
    EXPECT_GT(scheduler->counters().preempted, 0u);
    const KvUsage usage = scheduler->kv_usage();
    EXPECT_EQ(usage.capacity_blocks, 4);
    EXPECT_EQ(usage.used_blocks, usage.cached_blocks);
}

TEST(Scheduler, ABudgetBelowOneContextIsAnError) {
    auto too_small = Scheduler::create(*stories().model, *stories().tokenizer,
                                       {.n_ctx = 64, .kv_cache_bytes = 1024});
    ASSERT_FALSE(too_small);
    EXPECT_NE(too_small.error().message.find("cannot hold one sequence of 64"), std::string::npos);
    EXPECT_FALSE(Scheduler::create(*stories().model, *stories().tokenizer, {.max_batch_size = 0}));
}

TEST(Scheduler, ARepeatedPromptReusesItsCachedPrefix) {
    auto scheduler = make_scheduler({.threads = 1});
    const std::string prompt = kMixedLoad[2].first;  // 30-odd tokens: at least one full block
    const size_t n_prompt = stories().prompt(prompt).size();
    ASSERT_GT(n_prompt, static_cast<size_t>(kKvBlockTokens));
    auto [first, first_done] = make_job(prompt, 8);
    ASSERT_EQ(scheduler->submit(first), Admission::Accepted);
    Outcome a = first_done.get();
    ASSERT_TRUE(a.result);
    EXPECT_EQ(a.result->n_cached, 0);

    auto [second, second_done] = make_job(prompt, 8);
    ASSERT_EQ(scheduler->submit(second), Admission::Accepted);
    Outcome b = second_done.get();
    ASSERT_TRUE(b.result);
    const int64_t full_blocks = static_cast<int64_t>(n_prompt - 1) / kKvBlockTokens;
    EXPECT_EQ(b.result->n_cached, full_blocks * kKvBlockTokens);
    EXPECT_EQ(b.text, a.text);
    const SchedulerCounters counters = scheduler->counters();
    EXPECT_EQ(counters.prefix_queried_tokens, 2 * n_prompt);
    EXPECT_EQ(counters.prefix_hit_tokens, static_cast<uint64_t>(b.result->n_cached));
}

TEST(Scheduler, CancellingARunningSequenceFreesItsBlocksAtTheNextStep) {
    auto scheduler = make_scheduler({.threads = 1, .max_batch_size = 2});
    auto [stays, stays_done] = make_job("Once upon a time", 40);
    auto [leaves, leaves_done] = make_job("The cat", 200);
    std::latch started(1);
    leaves->on_text = [&, job = leaves.get()](std::string_view, std::span<const TokenChoice>) {
        job->cancel();
        started.count_down();
    };
    ASSERT_EQ(scheduler->submit(stays), Admission::Accepted);
    ASSERT_EQ(scheduler->submit(leaves), Admission::Accepted);
    Outcome left = leaves_done.get();
    ASSERT_TRUE(left.result);
    EXPECT_EQ(left.result->finish, FinishReason::Cancelled);
    EXPECT_LT(left.result->n_generated, 5);
    Outcome stayed = stays_done.get();
    EXPECT_EQ(stayed.text, direct_greedy("Once upon a time", 40));
    const KvUsage usage = scheduler->kv_usage();
    EXPECT_EQ(usage.used_blocks, usage.cached_blocks);
}

}  // namespace
}  // namespace assistd
