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
                                                                         int64_t max_tokens) {
    auto job = std::make_shared<GenerationJob>();
    job->prompt = stories().prompt(prompt);
    job->params.max_tokens = max_tokens;
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

std::string direct_greedy(const std::string& prompt, int64_t max_tokens) {
    ThreadPool pool(1);
    GenerationParams params;
    params.max_tokens = max_tokens;
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
    Scheduler scheduler(*stories().model, *stories().tokenizer, {.threads = 2, .max_queued = 8});
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
    Scheduler scheduler(*stories().model, *stories().tokenizer, {.threads = 1, .max_queued = 1});
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
    Scheduler scheduler(*stories().model, *stories().tokenizer, {.threads = 1, .max_queued = 2});
    auto [job, done] = make_job("Once", 4);
    job->prompt = {1, 999999};  // outside the vocabulary
    ASSERT_EQ(scheduler.submit(job), Admission::Accepted);
    Outcome outcome = done.get();
    ASSERT_FALSE(outcome.result);
    EXPECT_NE(outcome.result.error().message.find("outside the vocabulary"), std::string::npos);
    EXPECT_EQ(scheduler.counters().failed, 1u);
}

}  // namespace
}  // namespace assistd
