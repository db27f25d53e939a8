// Shared by the API tests: the limits requests are checked against, and SSE frames split back
// into their JSON objects.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/request_limits.h"
#include "engine/generate/generator.h"

namespace assistd::api::testing {

inline const RequestLimits kLimits{.model_id = "stories",
                                   .n_vocab = 512,
                                   .n_ctx = 512,
                                   .max_n = 4,
                                   .max_tokens_limit = 256,
                                   .default_max_tokens = 0};

// The objects of a run of "data: ...\n\n" frames; "data: [DONE]" becomes the string "[DONE]".
inline std::vector<nlohmann::json> events_of(const std::string& frames) {
    std::vector<nlohmann::json> events;
    size_t start = 0;
    while (start < frames.size()) {
        EXPECT_EQ(frames.compare(start, 6, "data: "), 0) << frames.substr(start);
        size_t end = frames.find("\n\n", start);
        if (end == std::string::npos) {
            ADD_FAILURE() << "unterminated frame: " << frames.substr(start);
            break;
        }
        std::string data = frames.substr(start + 6, end - start - 6);
        events.push_back(data == "[DONE]" ? nlohmann::json("[DONE]") : nlohmann::json::parse(data));
        start = end + 2;
    }
    return events;
}

inline GenerationStats stats_of(int64_t n_prompt, int64_t n_generated, FinishReason finish) {
    GenerationStats stats;
    stats.n_prompt = n_prompt;
    stats.n_generated = n_generated;
    stats.finish = finish;
    return stats;
}

}  // namespace assistd::api::testing
