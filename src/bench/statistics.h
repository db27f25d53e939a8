// Summary statistics of repeated timings, computed as llama-bench computes them so that our
// numbers and theirs mean the same thing.
#pragma once

#include <span>

namespace assistd::bench {

// Arithmetic mean; 0 for no samples.
double mean(std::span<const double> samples);

// Sample standard deviation (Bessel's correction, n - 1); 0 for fewer than two samples.
double sample_stddev(std::span<const double> samples);

}  // namespace assistd::bench
