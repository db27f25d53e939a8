// POST /v1/completions: the request body parsed and validated into prompts and engine parameters.
//
// A prompt is a string, an array of strings, an array of token ids or an array of such arrays;
// each prompt gets n choices, numbered prompt-major as OpenAI does (choice i answers prompt i / n).
// Token ids are checked against the vocabulary here. max_tokens defaults to 16, as OpenAI's does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/api_result.h"
#include "api/generation_request.h"
#include "api/request_limits.h"

namespace assistd::api {

inline constexpr int64_t kDefaultCompletionMaxTokens = 16;
inline constexpr int64_t kMaxCompletionLogprobs = 5;

// Text to tokenize, or token ids given by the client.
using CompletionPrompt = std::variant<std::string, std::vector<int32_t>>;

struct CompletionRequest {
    std::vector<CompletionPrompt> prompts;  // at least one
    bool echo = false;                      // answer with the prompt before the completion
    GenerationRequest generation;

    int64_t choice_count() const { return static_cast<int64_t>(prompts.size()) * generation.n; }
};

// Accepted: model, prompt, echo, max_tokens, temperature, top_p, n, stop, seed,
// presence_penalty, frequency_penalty, logit_bias, logprobs (0..5), stream, stream_options, user,
// best_of 1.
// Refused: suffix (insertion is not implemented), logprobs with echo (the prompt's probabilities
// are not computed), best_of > 1, more choices (prompts × n) than limits.max_n, any unknown field.
ApiResult<CompletionRequest> parse_completion_request(std::string_view body,
                                                      const RequestLimits& limits);

}  // namespace assistd::api
