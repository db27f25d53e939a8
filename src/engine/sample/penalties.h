// Penalties: make recently used tokens less likely, the first stage of the chain.
#pragma once

#include <span>

#include "engine/sample/candidate.h"
#include "engine/sample/sampler_params.h"
#include "engine/sample/token_history.h"

namespace assistd {

// For every token that occurs `count` > 0 times in the history:
//   repetition (llama.cpp): a positive logit is divided by repeat_penalty, a negative one
//     multiplied by it, so both move towards "less likely";
//   then (OpenAI): logit -= frequency_penalty * count + presence_penalty.
// Precondition: candidates is the whole vocabulary in id order (candidates[id].id == id), as it is
// before any filter runs; only the tokens in the history are touched.
void apply_penalties(std::span<Candidate> candidates, const TokenHistory& history,
                     const SamplerParams& params);

}  // namespace assistd
