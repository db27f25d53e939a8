// GenerationRequest: the fields chat and text completions share — the model, sampling, stop
// strings, max_tokens, n, seed and streaming — read from a request body into engine parameters.
//
// Sampling defaults are OpenAI's (temperature 1, top_p 1, no top-k or min-p), not llama.cpp's, so
// a client that sets nothing gets what it would get from OpenAI. Fields the engine cannot honour
// (logprobs, tools, response formats other than text) are refused with 400 by the callers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/json_fields.h"
#include "api/request_limits.h"
#include "engine/generate/generator.h"

namespace assistd::api {

inline constexpr int kMaxStopStrings = 4;  // OpenAI's limit

struct GenerationRequest {
    std::string model;
    // params.max_tokens holds the request's value or the default; fit_to_context() caps it.
    // params.sampling.seed is the request's seed when given.
    GenerationParams params;
    bool max_tokens_given = false;
    // Absent: the caller draws a random seed, since the engine's seed 0 is deterministic and
    // OpenAI's answers without a seed differ from call to call.
    std::optional<uint64_t> seed;
    int32_t n = 1;
    bool stream = false;
    bool include_usage = false;  // stream_options.include_usage
};

// The engine parameters OpenAI's defaults stand for.
GenerationParams openai_default_params();

// Reads the shared fields from `fields` into `request`; problems are left in `fields.error()`.
// `max_tokens_keys` are the names max_tokens goes by in this endpoint (chat accepts
// max_completion_tokens too); `default_max_tokens` applies when none is given.
void read_generation_fields(JsonFields& fields, const RequestLimits& limits,
                            std::initializer_list<std::string_view> max_tokens_keys,
                            int64_t default_max_tokens, GenerationRequest& request);

// Once the prompt is tokenized: a prompt that leaves no room in the context, or an explicit
// max_tokens that does not fit after it, is a 400 naming `prompt_param` or max_tokens (as OpenAI's
// "maximum context length" error); otherwise max_tokens is capped to the room left.
ApiCheck fit_to_context(GenerationRequest& request, int64_t prompt_tokens, int64_t n_ctx,
                        std::string_view prompt_param);

}  // namespace assistd::api
