// Truncation: the filters that narrow the candidates to the likely ones (top-k, top-p, min-p).
//
// Each keeps at least one candidate, the most likely, whatever its parameter.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/sample/candidate.h"

namespace assistd {

// The most likely candidate (ties: the lowest id); candidates must not be empty.
const Candidate& most_likely(std::span<const Candidate> candidates);

// Keeps the k most likely candidates, sorted most likely first; k <= 0 keeps all, unsorted.
// Sorts only k of them, so the cost is O(n log k) rather than a sort of the whole vocabulary.
void keep_top_k(std::vector<Candidate>& candidates, int32_t k);

// Sum of exp(logit - max_logit) over the candidates: the softmax denominator, scaled so that the
// most likely candidate weighs 1.
double softmax_mass(std::span<const Candidate> candidates);

// Nucleus: keeps the shortest most-likely-first prefix whose probability reaches top_p, sorted.
// Probabilities are measured against `mass` (softmax_mass of the set top-p is meant to see), which
// lets min-p run first on a large set without changing the outcome.
void keep_top_p(std::vector<Candidate>& candidates, float top_p, double mass);

// Keeps the candidates at least min_p times as probable as the most likely, in their order.
void keep_min_p(std::vector<Candidate>& candidates, float min_p);

}  // namespace assistd
