#include "api/completed_choice.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace assistd::api {

Usage usage_of(int64_t prompt_tokens, std::span<const CompletedChoice> choices) {
    Usage usage{.prompt_tokens = prompt_tokens, .completion_tokens = 0};
    for (const CompletedChoice& choice : choices) {
        usage.completion_tokens += choice.stats.n_generated;
        usage.cached_tokens = std::max(usage.cached_tokens, choice.stats.n_cached);
    }
    return usage;
}

nlohmann::json usage_json(const Usage& usage) {
    return {{"prompt_tokens", usage.prompt_tokens},
            {"completion_tokens", usage.completion_tokens},
            {"total_tokens", usage.prompt_tokens + usage.completion_tokens}};
}

nlohmann::json chat_usage_json(const Usage& usage) {
    nlohmann::json json = usage_json(usage);
    json["prompt_tokens_details"] = {{"cached_tokens", usage.cached_tokens}};
    return json;
}

std::string finish_reason_of(const GenerationStats& stats) {
    return std::string(finish_reason_name(stats.finish));
}

}  // namespace assistd::api
