#include "engine/sample/sampler.h"

#include <cassert>
#include <cmath>
#include <limits>

#include "engine/sample/draw.h"
#include "engine/sample/penalties.h"
#include "engine/sample/truncation.h"

namespace assistd {

Sampler::Sampler(const SamplerParams& params, int32_t n_vocab)
    : params_(params),
      n_vocab_(n_vocab),
      history_(n_vocab, params.repeat_last_n),
      rng_(params.seed) {
    assert(validate(params).ok());
    for ([[maybe_unused]] const LogitBias& entry : params.logit_bias) assert(entry.token < n_vocab);
    candidates_.reserve(static_cast<size_t>(n_vocab));
}

int32_t Sampler::sample(std::span<const float> logits, std::span<const uint8_t> allowed) {
    load(logits);
    // Right after load, candidate i is token i.
    for (const LogitBias& entry : params_.logit_bias) candidates_[entry.token].logit += entry.bias;
    apply_penalties(candidates_, history_, params_);
    if (!allowed.empty()) keep_allowed(allowed);
    if (params_.temperature <= 0.0f) return most_likely(candidates_).id;
    truncate();
    return draw(candidates_, params_.temperature, unit_interval(rng_));
}

void Sampler::accept(int32_t token) {
    assert(token >= 0 && token < n_vocab_);
    history_.accept(token);
}

void Sampler::reset() {
    history_.clear();
    rng_.seed(params_.seed);
}

// NaN would break the strict ordering the filters sort by; as -inf it simply loses.
void Sampler::load(std::span<const float> logits) {
    assert(logits.size() == static_cast<size_t>(n_vocab_));
    candidates_.clear();
    for (int32_t id = 0; id < n_vocab_; ++id) {
        float logit = logits[static_cast<size_t>(id)];
        if (std::isnan(logit)) logit = -std::numeric_limits<float>::infinity();
        candidates_.push_back({id, logit, 0.0f});
    }
}

// Removed rather than set to -inf: top-k and top-p then choose among allowed tokens only.
void Sampler::keep_allowed(std::span<const uint8_t> allowed) {
    assert(allowed.size() == static_cast<size_t>(n_vocab_));
    std::erase_if(candidates_, [&](const Candidate& c) { return allowed[c.id] == 0; });
    assert(!candidates_.empty());
}

void Sampler::truncate() {
    keep_top_k(candidates_, params_.top_k);
    const bool top_p_on = params_.top_p < 1.0f;
    const bool min_p_on = params_.min_p > 0.0f;
    if (top_p_on) {
        // Min-p keeps a most-likely-first prefix and top-p keeps another, so the result is the
        // shorter one in either order, provided top-p measures probabilities against the set it
        // would have seen: so measure the mass first, then let min-p shrink what top-p must sort.
        const double mass = softmax_mass(candidates_);
        if (min_p_on) keep_min_p(candidates_, params_.min_p);
        keep_top_p(candidates_, params_.top_p, mass);
    } else if (min_p_on) {
        keep_min_p(candidates_, params_.min_p);
    }
}

}  // namespace assistd
