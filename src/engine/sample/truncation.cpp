#include "engine/sample/truncation.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace assistd {

const Candidate& most_likely(std::span<const Candidate> candidates) {
    assert(!candidates.empty());
    return *std::min_element(candidates.begin(), candidates.end(), more_likely);
}

void keep_top_k(std::vector<Candidate>& candidates, int32_t k) {
    if (k <= 0 || static_cast<size_t>(k) >= candidates.size()) return;
    auto middle = candidates.begin() + k;
    std::partial_sort(candidates.begin(), middle, candidates.end(), more_likely);
    candidates.erase(middle, candidates.end());
}

double softmax_mass(std::span<const Candidate> candidates) {
    const float max_logit = most_likely(candidates).logit;
    double mass = 0.0;
    for (const Candidate& candidate : candidates) mass += std::exp(candidate.logit - max_logit);
    return mass;
}

void keep_top_p(std::vector<Candidate>& candidates, float top_p, double mass) {
    std::sort(candidates.begin(), candidates.end(), more_likely);
    const float max_logit = candidates.front().logit;
    const double target = static_cast<double>(top_p) * mass;
    double cumulative = 0.0;
    size_t kept = 0;
    while (kept < candidates.size()) {
        cumulative += std::exp(candidates[kept].logit - max_logit);
        ++kept;
        if (cumulative >= target) break;
    }
    candidates.resize(kept);
}

// p_i >= min_p * p_max  ⇔  logit_i >= max_logit + log(min_p): no softmax needed.
void keep_min_p(std::vector<Candidate>& candidates, float min_p) {
    const float threshold = most_likely(candidates).logit + std::log(min_p);
    std::erase_if(candidates,
                  [threshold](const Candidate& candidate) { return candidate.logit < threshold; });
}

}  // namespace assistd
