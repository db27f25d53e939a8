// A row's tokens per second, its name and its decode bound.
#include "bench/test_result.h"

#include <gtest/gtest.h>

#include <cmath>

namespace assistd::bench {
namespace {

TestResult generation_row() {
    TestResult row;
    row.shape = {0, 128, 2};
    row.samples_ns = {1'000'000'000, 2'000'000'000};  // 128 t/s and 64 t/s
    row.bandwidth_bytes_per_s = 10e9;
    row.weight_bytes_per_token = 50'000'000;  // bound: 200 t/s
    return row;
}

TEST(TestShape, NamedAsLlamaBenchNamesTests) {
    EXPECT_EQ((TestShape{512, 0, 2}).name(), "pp512");
    EXPECT_EQ((TestShape{0, 128, 2}).name(), "tg128");
}

TEST(TestResult, TokensPerSecondOfEachRepetition) {
    const TestResult row = generation_row();
    EXPECT_EQ(row.samples_ts(), (std::vector<double>{128.0, 64.0}));
    EXPECT_DOUBLE_EQ(row.avg_ns(), 1.5e9);
    EXPECT_DOUBLE_EQ(row.avg_ts(), 96.0);
    EXPECT_DOUBLE_EQ(row.stddev_ts(), std::sqrt(2 * 32.0 * 32.0));
}

TEST(TestResult, GenerationIsBoundByBandwidthOverWeightBytes) {
    const TestResult row = generation_row();
    ASSERT_TRUE(row.bound_ts().has_value());
    EXPECT_DOUBLE_EQ(*row.bound_ts(), 200.0);
    EXPECT_DOUBLE_EQ(*row.bound_fraction(), 96.0 / 200.0);
}

TEST(TestResult, PromptRowsHaveNoDecodeBound) {
    TestResult row = generation_row();
    row.shape = {512, 0, 2};
    EXPECT_FALSE(row.bound_ts().has_value());
    EXPECT_FALSE(row.bound_fraction().has_value());
}

TEST(TestResult, NoBoundWithoutABandwidth) {
    TestResult row = generation_row();
    row.bandwidth_bytes_per_s = 0.0;
    EXPECT_FALSE(row.bound_ts().has_value());
}

}  // namespace
}  // namespace assistd::bench
