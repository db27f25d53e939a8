// Log probabilities of generated tokens, as OpenAI's `logprobs` report them.
//
// They come from the model's own distribution: log-softmax of the raw logits, before penalties,
// logit_bias, truncation or temperature (vLLM's default), so they describe the model and not the
// sampling settings of one request.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace assistd {

struct TokenLogprob {
    int32_t token;
    float logprob;

    bool operator==(const TokenLogprob&) const = default;
};

// One generated token with its log probability and the most likely alternatives at its position.
struct TokenChoice {
    int32_t token;
    float logprob;
    std::vector<TokenLogprob> top;  // most likely first (ties: lower id first), at most top_n
};

// The choice of `chosen` among `logits` with the `top_n` most likely tokens.
// NaN logits count as impossible (log probability -inf, never among the top).
TokenChoice describe_choice(std::span<const float> logits, int32_t chosen, int top_n);

}  // namespace assistd
