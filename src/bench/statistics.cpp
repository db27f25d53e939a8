#include "bench/statistics.h"

#include <cmath>
#include <numeric>

namespace assistd::bench {

double mean(std::span<const double> samples) {
    if (samples.empty()) return 0.0;
    return std::accumulate(samples.begin(), samples.end(), 0.0) /
           static_cast<double>(samples.size());
}

double sample_stddev(std::span<const double> samples) {
    if (samples.size() < 2) return 0.0;
    const double m = mean(samples);
    double squares = 0.0;
    for (double s : samples) squares += (s - m) * (s - m);
    return std::sqrt(squares / static_cast<double>(samples.size() - 1));
}

}  // namespace assistd::bench
