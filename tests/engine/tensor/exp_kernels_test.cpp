// The exp-based element-wise steps: within a few float roundings of the same math in double, on
// lengths that leave every tail size, and on the extremes a forward pass meets.
#include "engine/tensor/exp_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "random_rows.h"

namespace assistd {
namespace {

TEST(ExpKernels, ScaledSoftmaxIsTheSoftmaxOfTheScaledValues) {
    for (int64_t n : {1, 7, 8, 9, 16, 31, 257}) {
        SCOPED_TRACE(n);
        std::vector<float> x = random_values(n, static_cast<uint32_t>(n), 20.0f);
        const std::vector<float> original = x;
        const float scale = 0.125f;
        scaled_softmax(x.data(), n, scale);
        double max = -INFINITY;
        for (float v : original) max = std::max(max, static_cast<double>(v) * scale);
        double sum = 0.0;
        for (float v : original) sum += std::exp(static_cast<double>(v) * scale - max);
        double total = 0.0;
        for (int64_t i = 0; i < n; ++i) {
            const double want = std::exp(static_cast<double>(original[i]) * scale - max) / sum;
            EXPECT_NEAR(x[i], want, 4e-7 * want + 1e-12) << i;
            total += x[i];
        }
        EXPECT_NEAR(total, 1.0, 1e-5);
    }
}

TEST(ExpKernels, SoftmaxOfFarApartScoresGivesTheSmallOnesNothingAndNoNan) {
    std::vector<float> x = {0.0f, -1000.0f, 80.0f, -INFINITY, 79.0f};
    scaled_softmax(x.data(), static_cast<int64_t>(x.size()), 1.0f);
    EXPECT_NEAR(x[2], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
    EXPECT_NEAR(x[4], 1.0 / (1.0 + std::exp(1.0)), 1e-6);
    EXPECT_LT(x[0], 1e-30f);
    EXPECT_LT(x[1], 1e-30f);
    EXPECT_LT(x[3], 1e-30f);
    for (float v : x) EXPECT_FALSE(std::isnan(v));
}

TEST(ExpKernels, SwigluIsSiluOfTheGateTimesUp) {
    for (int64_t n : {1, 5, 8, 13, 4864}) {
        SCOPED_TRACE(n);
        std::vector<float> gate = random_values(n, 3, 12.0f);
        const std::vector<float> up = random_values(n, 4, 2.0f);
        const std::vector<float> original = gate;
        swiglu(gate.data(), up.data(), n);
        for (int64_t i = 0; i < n; ++i) {
            const double g = original[i];
            const double want = g / (1.0 + std::exp(-g)) * up[i];
            EXPECT_NEAR(gate[i], want, 1e-6 * std::fabs(want) + 1e-7) << i;
        }
    }
    std::vector<float> extremes = {-200.0f, 200.0f, 0.0f};
    const std::vector<float> ones(3, 1.0f);
    swiglu(extremes.data(), ones.data(), 3);
    EXPECT_NEAR(extremes[0], 0.0f, 1e-30f);
    EXPECT_FLOAT_EQ(extremes[1], 200.0f);
    EXPECT_EQ(extremes[2], 0.0f);
}

}  // namespace
}  // namespace assistd
