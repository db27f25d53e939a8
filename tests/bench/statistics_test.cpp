// Mean and standard deviation as llama-bench reports them (sample deviation, n - 1).
#include "bench/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace assistd::bench {
namespace {

TEST(Statistics, MeanOfSamples) {
    const std::vector<double> samples = {2, 4, 4, 4, 5, 5, 7, 9};
    EXPECT_DOUBLE_EQ(mean(samples), 5.0);
}

TEST(Statistics, StddevUsesBesselsCorrection) {
    const std::vector<double> samples = {2, 4, 4, 4, 5, 5, 7, 9};
    // Squared deviations sum to 32; 32 / (8 - 1).
    EXPECT_DOUBLE_EQ(sample_stddev(samples), std::sqrt(32.0 / 7.0));
}

TEST(Statistics, OneSampleHasNoSpread) {
    const std::vector<double> samples = {3.5};
    EXPECT_DOUBLE_EQ(mean(samples), 3.5);
    EXPECT_DOUBLE_EQ(sample_stddev(samples), 0.0);
}

TEST(Statistics, NoSamplesGiveZero) {
    EXPECT_DOUBLE_EQ(mean({}), 0.0);
    EXPECT_DOUBLE_EQ(sample_stddev({}), 0.0);
}

TEST(Statistics, LargeEqualTimingsKeepZeroSpread) {
    // Nanosecond timings are ~1e9; a one-pass sum-of-squares formula loses them to rounding.
    const std::vector<double> samples(5, 1'234'567'891.0);
    EXPECT_DOUBLE_EQ(sample_stddev(samples), 0.0);
}

}  // namespace
}  // namespace assistd::bench
