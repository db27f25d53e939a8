#include "engine/sample/truncation.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace assistd {
namespace {

constexpr size_t kFirstTopPBlock = 64;

}  // namespace

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

// The nucleus is usually a small part of a large vocabulary, so sort in growing blocks (each the
// next most likely of the rest) and stop once the block reaching top_p is sorted.
void keep_top_p(std::vector<Candidate>& candidates, float top_p, double mass) {
    const float max_logit = most_likely(candidates).logit;
    const double target = static_cast<double>(top_p) * mass;
    double cumulative = 0.0;
    size_t sorted = 0;
    size_t block_end = std::min<size_t>(candidates.size(), kFirstTopPBlock);
    while (sorted < candidates.size()) {
        std::partial_sort(candidates.begin() + static_cast<ptrdiff_t>(sorted),
                          candidates.begin() + static_cast<ptrdiff_t>(block_end), candidates.end(),
                          more_likely);
        for (; sorted < block_end; ++sorted) {
            cumulative += std::exp(candidates[sorted].logit - max_logit);
            if (cumulative >= target) {
                candidates.resize(sorted + 1);
                return;
            }
        }
        block_end = std::min(candidates.size(), block_end * 4);
    }
}

// p_i >= min_p * p_max  ⇔  logit_i >= max_logit + log(min_p): no softmax needed.
void keep_min_p(std::vector<Candidate>& candidates, float min_p) {
    const float threshold = most_likely(candidates).logit + std::log(min_p);
    std::erase_if(candidates,
                  [threshold](const Candidate& candidate) { return candidate.logit < threshold; });
}

}  // namespace assistd
