// SamplerParams: how the next token is chosen from the logits, with llama.cpp's defaults.
//
// The chain runs in llama.cpp's default order: penalties → top-k → top-p → min-p → temperature →
// draw. Each stage has an "off" value, so a request names only what it wants.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"

namespace assistd {

// Added to one token's logit before any other step (OpenAI's logit_bias: -100 all but bans it).
struct LogitBias {
    int32_t token;
    float bias;  // in [-100, 100]
};

struct SamplerParams {
    float temperature = 0.8f;     // <= 0: greedy (argmax, ties to the lowest id)
    int32_t top_k = 40;           // <= 0: off
    float top_p = 0.95f;          // >= 1: off
    float min_p = 0.05f;          // <= 0: off
    float repeat_penalty = 1.0f;  // 1: off
    int32_t repeat_last_n = 64;   // how many recent tokens the penalties look at (-1: all context)
    float presence_penalty = 0.0f;   // OpenAI semantics, in [-2, 2]
    float frequency_penalty = 0.0f;  // OpenAI semantics, in [-2, 2]
    uint64_t seed = 0;  // used as is: callers wanting fresh randomness pass a random seed
    std::vector<LogitBias> logit_bias;  // token ids must be inside the vocabulary
};

// Checks values that come from users (CLI flags, HTTP requests); the error names the parameter,
// the value and the allowed range.
Result<void> validate(const SamplerParams& params);

}  // namespace assistd
