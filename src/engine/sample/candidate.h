// Candidate: one token the sampler may still choose, as it moves through the chain.
#pragma once

#include <cstdint>

namespace assistd {

struct Candidate {
    int32_t id;
    float logit;
    float weight;  // unnormalised probability, filled by the stage that needs it
};

// A strict total order (higher logit first, then lower id) so that sorts and partial sorts give
// the same result on every standard library, which reproducible seeds depend on.
inline bool more_likely(const Candidate& a, const Candidate& b) {
    if (a.logit != b.logit) return a.logit > b.logit;
    return a.id < b.id;
}

}  // namespace assistd
