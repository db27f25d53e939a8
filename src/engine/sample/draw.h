// Draw: the last stage of the chain, a reproducible random pick among the candidates.
//
// Reproducible across runs and standard libraries: the generator is std::mt19937_64 (its output
// is fixed by the C++ standard) and the mapping to a token is our own inverse CDF, because
// std::uniform_real_distribution and std::discrete_distribution differ between implementations.
#pragma once

#include <cstdint>
#include <random>
#include <span>

#include "engine/sample/candidate.h"

namespace assistd {

// A uniform double in [0, 1) from the top 53 bits of one generator output.
double unit_interval(std::mt19937_64& rng);

// Scales the logits by 1/temperature (> 0), weighs each candidate by its softmax numerator and
// returns the id where u (in [0, 1)) falls in their cumulative distribution, walking candidates
// in their current order. candidates must not be empty.
int32_t draw(std::span<Candidate> candidates, float temperature, double u);

}  // namespace assistd
