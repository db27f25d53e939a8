// Runs the n choices of one completion request on the scheduler and answers the exchange: a
// single JSON body when all are done, or one SSE event per piece of text as it is decoded.
//
// The format callbacks keep this file free of any one API's JSON: chat and text completions
// differ only in how a piece of text and the final answer are written. A client that goes away
// cancels every choice of its request, queued or running.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/completed_choice.h"
#include "engine/generate/generator.h"
#include "engine/sched/scheduler.h"
#include "server/exchange.h"
#include "server/serving_metrics.h"

namespace assistd::server {

struct GenerationPlan {
    // The model version answering, held until the answer is complete: a version swapped out
    // meanwhile keeps its scheduler and weights for this request.
    std::shared_ptr<const void> model;
    std::string request_id;                     // for the log
    std::vector<std::vector<int32_t>> prompts;  // choice i answers prompts[i / n]
    GenerationParams params;  // choice i samples with seed params.sampling.seed + i
    int n = 1;
    bool stream = false;

    int choice_count() const { return static_cast<int>(prompts.size()) * n; }
};

struct GenerationFormat {
    // stream: the SSE frames of one piece of choice `index`, of its end, and the closing frames
    // (usage chunk, [DONE]) after every choice has ended.
    std::function<std::string(int index, std::string_view text,
                              std::span<const TokenChoice> tokens)>
        piece;
    std::function<std::string(int index, const GenerationStats& stats)> finished;
    std::function<std::string(const std::vector<api::CompletedChoice>& choices)> closing;
    // not stream: the whole body once every choice has ended.
    std::function<std::string(const std::vector<api::CompletedChoice>& choices)> body;
    // An error in the API's format, for the status given.
    std::function<std::string(http::status status, std::string_view message)> error;
    // The same error as an SSE event, once the stream has begun.
    std::function<std::string(std::string_view message)> stream_error;
};

void run_generation(const std::shared_ptr<Exchange>& exchange, Scheduler& scheduler,
                    ServingMetrics& metrics, GenerationPlan plan, GenerationFormat format);

}  // namespace assistd::server
