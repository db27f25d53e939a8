#include "engine/sample/draw.h"

#include <cassert>
#include <cmath>

#include "engine/sample/truncation.h"

namespace assistd {

double unit_interval(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

int32_t draw(std::span<Candidate> candidates, float temperature, double u) {
    assert(temperature > 0.0f && u >= 0.0 && u < 1.0);
    const Candidate& best = most_likely(candidates);
    // Every logit is -inf (all tokens masked): nothing to weigh, fall back to the best id.
    if (std::isinf(best.logit) && best.logit < 0.0f) return best.id;
    const float max_logit = best.logit;
    double total = 0.0;
    for (Candidate& candidate : candidates) {
        candidate.weight = std::exp((candidate.logit - max_logit) / temperature);
        total += candidate.weight;
    }
    const double target = u * total;
    double cumulative = 0.0;
    for (const Candidate& candidate : candidates) {
        cumulative += candidate.weight;
        if (target < cumulative) return candidate.id;
    }
    // Rounding can leave target == total; the most likely candidate is the safe answer.
    return best.id;
}

}  // namespace assistd
