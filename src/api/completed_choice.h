// What the engine produced for one choice, and the usage a response reports for all of them.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "engine/generate/generator.h"

namespace assistd::api {

struct CompletedChoice {
    std::string text;                 // the whole generated text, stop strings removed
    std::vector<TokenChoice> tokens;  // with their log probabilities, when they were asked for
    GenerationStats stats;
};

struct Usage {
    int64_t prompt_tokens = 0;
    int64_t completion_tokens = 0;
    int64_t cached_tokens = 0;  // prompt tokens whose computation was reused (prefix cache)
};

// prompt_tokens counts each prompt once, however many choices it has (as OpenAI does);
// completion_tokens sums every choice; cached_tokens is the most any one choice reused (choices
// of one prompt share it: the count of one is the count of the request).
Usage usage_of(int64_t prompt_tokens, std::span<const CompletedChoice> choices);

// {"prompt_tokens", "completion_tokens", "total_tokens"}
nlohmann::json usage_json(const Usage& usage);
// The chat API's usage adds "prompt_tokens_details": {"cached_tokens"}.
nlohmann::json chat_usage_json(const Usage& usage);

// "stop" or "length"; a cancelled choice is never answered, so it has no name here.
std::string finish_reason_of(const GenerationStats& stats);

}  // namespace assistd::api
