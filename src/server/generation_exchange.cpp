#include "server/generation_exchange.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>

namespace assistd::server {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Shared by the jobs of one request; callbacks arrive on the engine thread, one job at a time.
struct RequestState {
    GenerationPlan plan;
    GenerationFormat format;
    std::shared_ptr<Exchange> exchange;
    ServingMetrics* metrics = nullptr;
    Clock::time_point arrived = Clock::now();
    std::vector<Clock::time_point> last_text;  // per choice; unset before its first text
    std::vector<std::shared_ptr<GenerationJob>> jobs;
    std::vector<api::CompletedChoice> choices;
    std::mutex mutex;
    int remaining = 0;
    bool failed = false;
};

void choice_done(const std::shared_ptr<RequestState>& state, int index,
                 Result<GenerationStats> result) {
    std::lock_guard lock(state->mutex);
    const GenerationPlan& plan = state->plan;
    if (state->failed) return;
    if (!result) {
        state->failed = true;
        for (const auto& job : state->jobs) job->cancel();
        if (state->exchange->client_gone()) {
            spdlog::info("{}: client disconnected; choice {} dropped before decoding",
                         plan.request_id, index);
            return;
        }
        spdlog::warn("{}: generation failed: {}", plan.request_id, result.error().message);
        if (plan.stream) {
            state->exchange->send_event(state->format.stream_error(result.error().message));
            state->exchange->end_stream();
        } else {
            state->exchange->reply(
                http::status::internal_server_error,
                state->format.error(http::status::internal_server_error, result.error().message));
        }
        return;
    }
    state->metrics->choice_finished(*result, seconds_since(state->arrived));
    // Tokens count against the key's budget even when its client left halfway.
    state->exchange->charge_tokens(result->n_prompt + result->n_generated);
    if (result->finish == FinishReason::Cancelled) {
        spdlog::info("{}: client disconnected; decoding stopped after {} tokens", plan.request_id,
                     result->n_generated);
        return;
    }
    state->choices[index].stats = *result;
    if (plan.stream) state->exchange->send_event(state->format.finished(index, *result));
    if (--state->remaining > 0) return;
    if (plan.stream) {
        state->exchange->send_event(state->format.closing(state->choices));
        state->exchange->end_stream();
    } else {
        state->exchange->reply(http::status::ok, state->format.body(state->choices));
    }
}

}  // namespace

void run_generation(const std::shared_ptr<Exchange>& exchange, Scheduler& scheduler,
                    ServingMetrics& metrics, GenerationPlan plan, GenerationFormat format) {
    auto state = std::make_shared<RequestState>();
    state->exchange = exchange;
    state->metrics = &metrics;
    state->remaining = plan.choice_count();
    state->choices.resize(plan.choice_count());
    state->last_text.resize(plan.choice_count());
    for (int i = 0; i < plan.choice_count(); ++i) {
        auto job = std::make_shared<GenerationJob>();
        job->prompt = plan.prompts[i / plan.n];
        job->params = plan.params;
        job->params.sampling.seed = plan.params.sampling.seed + static_cast<uint64_t>(i);
        job->on_text = [weak = std::weak_ptr(state), i](std::string_view text,
                                                        std::span<const TokenChoice> tokens) {
            auto state = weak.lock();
            if (!state) return;
            std::lock_guard lock(state->mutex);
            const Clock::time_point now = Clock::now();
            Clock::time_point& last = state->last_text[i];
            if (last == Clock::time_point{}) {
                state->metrics->first_token(seconds_since(state->arrived));
            } else {
                state->metrics->token_gap(std::chrono::duration<double>(now - last).count());
            }
            last = now;
            api::CompletedChoice& choice = state->choices[i];
            choice.text.append(text);
            if (state->plan.stream) {
                state->exchange->send_event(state->format.piece(i, text, tokens));
            } else {
                choice.tokens.insert(choice.tokens.end(), tokens.begin(), tokens.end());
            }
        };
        job->on_done = [state, i](Result<GenerationStats> result) {
            choice_done(state, i, std::move(result));
        };
        state->jobs.push_back(std::move(job));
    }
    state->plan = std::move(plan);
    state->format = std::move(format);

    // Jobs hold the state through on_done; the state holds the jobs only to cancel them.
    exchange->on_client_gone([weak = std::weak_ptr(state)] {
        if (auto state = weak.lock()) {
            for (const auto& job : state->jobs) job->cancel();
        }
    });
    // Held while submitting, so no piece of text is posted before the stream's headers.
    std::lock_guard lock(state->mutex);
    for (size_t i = 0; i < state->jobs.size(); ++i) {
        const Admission admission = scheduler.submit(state->jobs[i]);
        if (admission == Admission::Accepted) continue;
        state->failed = true;
        for (const auto& job : state->jobs) job->cancel();
        const bool full = admission == Admission::QueueFull;
        const http::status status =
            full ? http::status::too_many_requests : http::status::service_unavailable;
        exchange->reply(
            status, state->format.error(status, full ? "the server is busy: the request queue is "
                                                       "full; retry later"
                                                     : "the server is shutting down"));
        return;
    }
    if (state->plan.stream) exchange->begin_stream();
}

}  // namespace assistd::server
