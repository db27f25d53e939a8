#include "engine/sample/token_logprobs.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace assistd {
namespace {

// log(sum(exp(logits))), computed around the maximum so no term overflows.
double log_sum_exp(std::span<const float> logits) {
    float max = -std::numeric_limits<float>::infinity();
    for (float l : logits) {
        if (l > max) max = l;  // false for NaN
    }
    if (!std::isfinite(max)) return max;
    double sum = 0.0;
    for (float l : logits) {
        if (!std::isnan(l)) sum += std::exp(static_cast<double>(l) - max);
    }
    return max + std::log(sum);
}

}  // namespace

TokenChoice describe_choice(std::span<const float> logits, int32_t chosen, int top_n) {
    const double normalizer = log_sum_exp(logits);
    auto logprob = [&](int32_t token) {
        const float l = logits[static_cast<size_t>(token)];
        if (std::isnan(l)) return -std::numeric_limits<float>::infinity();
        return static_cast<float>(static_cast<double>(l) - normalizer);
    };
    TokenChoice choice{.token = chosen, .logprob = logprob(chosen), .top = {}};
    if (top_n <= 0) return choice;

    std::vector<int32_t> ids;
    ids.reserve(logits.size());
    for (size_t i = 0; i < logits.size(); ++i) {
        if (!std::isnan(logits[i])) ids.push_back(static_cast<int32_t>(i));
    }
    const size_t n = std::min(ids.size(), static_cast<size_t>(top_n));
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(),
                      [&](int32_t a, int32_t b) {
                          if (logits[a] != logits[b]) return logits[a] > logits[b];
                          return a < b;
                      });
    for (size_t i = 0; i < n; ++i) choice.top.push_back({ids[i], logprob(ids[i])});
    return choice;
}

}  // namespace assistd
