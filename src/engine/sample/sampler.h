// Sampler: picks the next token from the logits of the last position, llama.cpp style.
//
//   Sampler sampler(params, n_vocab);           // params checked with validate() first
//   for (int32_t token : prompt) sampler.accept(token);
//   int32_t next = sampler.sample(logits);       // logits: (n_vocab) of the last position
//   sampler.accept(next);
//
// Chain (llama.cpp's default order): penalties → top-k → top-p → min-p → temperature → draw.
// A mask of allowed tokens (constrained decoding) applies after the penalties, before the rest.
// temperature <= 0 is greedy: argmax after the penalties, ties to the lowest id.
// Same params and seed + the same sequence of logits ⇒ the same tokens, on every platform.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "engine/sample/candidate.h"
#include "engine/sample/sampler_params.h"
#include "engine/sample/token_history.h"

namespace assistd {

class Sampler {
  public:
    // Precondition: validate(params) succeeded and n_vocab > 0.
    Sampler(const SamplerParams& params, int32_t n_vocab);

    // Picks the next token from the logits of the last position (logits are not modified).
    // Precondition: logits.size() == n_vocab. A NaN logit is never picked.
    // allowed: empty, or (n_vocab) with allowed[t] != 0 for the tokens that may be picked, at
    // least one of them.
    int32_t sample(std::span<const float> logits, std::span<const uint8_t> allowed = {});

    // Records a token as part of the context (prompt tokens and generated ones) for the penalties.
    void accept(int32_t token);

    // Forgets the context and re-seeds, so the next sample() starts the sequence afresh.
    void reset();

    const SamplerParams& params() const { return params_; }

  private:
    void load(std::span<const float> logits);
    void truncate();
    void keep_allowed(std::span<const uint8_t> allowed);

    SamplerParams params_;
    int32_t n_vocab_;
    TokenHistory history_;
    std::mt19937_64 rng_;
    std::vector<Candidate> candidates_;  // (n_vocab) reserved once, refilled on every sample()
};

}  // namespace assistd
