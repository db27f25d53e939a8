// RoPE variants against each other: NeoX pairs are the normal pairs of a permuted head, Llama 3
// frequency factors of f rotate as a linear scaling of 1/f does, and position 0 is the identity.
#include <gtest/gtest.h>

#include <vector>

#include "engine/model/ops.h"

namespace assistd {
namespace {

constexpr int64_t kHeadDim = 8;

std::vector<float> head() {
    return {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f, 3.0f, -2.0f};
}

TEST(Rope, NeoxRotatesTheHalvesAsNormalRotatesAdjacentPairs) {
    // NeoX pairs (i, i + 4); interleaving the halves makes them adjacent pairs (2i, 2i + 1).
    std::vector<float> neox = head();
    std::vector<float> normal(kHeadDim);
    for (int i = 0; i < 4; ++i) {
        normal[2 * i] = neox[i];
        normal[2 * i + 1] = neox[i + 4];
    }
    rope(neox.data(), 1, kHeadDim, 7, {.n_rot = kHeadDim, .freq_base = 10000.0f, .neox = true});
    rope(normal.data(), 1, kHeadDim, 7, {.n_rot = kHeadDim, .freq_base = 10000.0f});
    for (int i = 0; i < 4; ++i) {
        EXPECT_FLOAT_EQ(neox[i], normal[2 * i]);
        EXPECT_FLOAT_EQ(neox[i + 4], normal[2 * i + 1]);
    }
}

TEST(Rope, FrequencyFactorsDivideTheAnglesAsLinearScalingDoes) {
    const std::vector<float> factors(kHeadDim / 2, 4.0f);
    std::vector<float> with_factors = head();
    std::vector<float> scaled = head();
    rope(with_factors.data(), 1, kHeadDim, 13,
         {.n_rot = kHeadDim, .freq_base = 500000.0f, .freq_factors = factors.data()});
    rope(scaled.data(), 1, kHeadDim, 13,
         {.n_rot = kHeadDim, .freq_base = 500000.0f, .freq_scale = 0.25f});
    for (int64_t i = 0; i < kHeadDim; ++i) EXPECT_NEAR(with_factors[i], scaled[i], 1e-6f);
}

TEST(Rope, PositionZeroAndUnrotatedValuesAreUnchanged) {
    std::vector<float> x = head();
    rope(x.data(), 1, kHeadDim, 0, {.n_rot = kHeadDim, .freq_base = 10000.0f});
    EXPECT_EQ(x, head());
    rope(x.data(), 1, kHeadDim, 5, {.n_rot = 4, .freq_base = 10000.0f});
    for (int64_t i = 4; i < kHeadDim; ++i) EXPECT_EQ(x[i], head()[i]);
}

}  // namespace
}  // namespace assistd
