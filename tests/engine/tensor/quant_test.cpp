// Round trips, and the dot kernels held to the scalar reference, for every computable type.
#include "engine/tensor/quant.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/tensor/block_format.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/quant_reference.h"

namespace assistd {
namespace {

constexpr DType kComputable[] = {DType::F32,  DType::F16,  DType::BF16, DType::Q8_0,
                                 DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1};

std::vector<float> random_values(int64_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-scale, scale);
    std::vector<float> values(static_cast<size_t>(n));
    for (float& v : values) v = uniform(rng);
    return values;
}

std::vector<uint8_t> quantized(DType type, const std::vector<float>& values) {
    const auto n = static_cast<int64_t>(values.size());
    std::vector<uint8_t> row(row_bytes(type, n));
    quantize_row(type, values.data(), row.data(), n);
    return row;
}

std::string name_of(const ::testing::TestParamInfo<DType>& info) {
    return std::string(traits_of(info.param).name);
}

class EveryType : public ::testing::TestWithParam<DType> {};

TEST_P(EveryType, IsComputable) {
    EXPECT_TRUE(can_compute(GetParam()));
}

// Each value comes back within half a step (a whole step where the symmetric formats clamp the
// top code), plus what rounding d and m to f16 adds.
TEST_P(EveryType, RoundTripStaysWithinTheFormatsErrorBound) {
    const DType type = GetParam();
    std::vector<float> values = random_values(4096, 1);
    for (int j = 0; j < 32; ++j) values[j] = 0.0f;    // an all-zero block
    for (int j = 32; j < 64; ++j) values[j] = 0.25f;  // a constant block
    const std::vector<uint8_t> row = quantized(type, values);
    std::vector<float> back(values.size());
    dequantize_row(type, row.data(), back.data(), static_cast<int64_t>(values.size()));

    const std::optional<BlockFormat> format = block_format(type);
    for (size_t i = 0; i < values.size(); ++i) {
        double bound = std::fabs(values[i]) * (type == DType::BF16 ? 0x1p-8 : 0x1p-11);
        if (format) {
            const BlockValues block =
                unpack_block(*format, row.data() + (i / 32) * format->block_bytes());
            const double step = std::fabs(block.d);
            const bool clamps = !format->has_min && format->bits < 8;
            bound = step * (clamps ? 1.0 : 0.5) +
                    (step * format->max_code() + std::fabs(block.m)) * 0x1p-11;
        }
        ASSERT_LE(std::fabs(back[i] - values[i]), bound + 1e-7) << "value " << i;
    }
}

TEST_P(EveryType, DotMatchesTheReferenceOnAwkwardLengths) {
    const DType type = GetParam();
    const int64_t block = traits_of(type).block_size;
    for (int64_t n : {32, 64, 96, 160, 4096 + 32, 4096 + 96}) {
        for (int64_t extra : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{15}}) {
            const int64_t len = n + (block == 1 ? extra : 0);
            const std::vector<uint8_t> row = quantized(type, random_values(len, 2, 3.0f));
            const std::vector<float> x = random_values(len, 3);
            std::vector<float> w(static_cast<size_t>(len));
            dequantize_row(type, row.data(), w.data(), len);
            double magnitude = 0.0;
            for (int64_t i = 0; i < len; ++i) magnitude += std::fabs(double{w[i]} * x[i]);

            const float expected = dot_row_reference(type, row.data(), x.data(), len);
            EXPECT_NEAR(dot_row(type, row.data(), x.data(), len), expected, 1e-5 * magnitude)
                << "n = " << len;
        }
    }
}

TEST_P(EveryType, ReferenceDotIsTheDotOfTheDequantizedRow) {
    const DType type = GetParam();
    constexpr int64_t kLength = 1024;
    const std::vector<uint8_t> row = quantized(type, random_values(kLength, 4));
    const std::vector<float> x = random_values(kLength, 5);
    std::vector<float> w(kLength);
    dequantize_row(type, row.data(), w.data(), kLength);
    double expected = 0.0;
    for (int64_t i = 0; i < kLength; ++i) expected += double{w[i]} * x[i];
    EXPECT_FLOAT_EQ(dot_row_reference(type, row.data(), x.data(), kLength),
                    static_cast<float>(expected));
}

// Otherwise the comparisons above would hold the reference to itself.
TEST_P(EveryType, UsesTheSimdKernelWhereTheCpuHasOne) {
    if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2, FMA and F16C on this CPU";
    EXPECT_EQ(dot_function(GetParam()), avx2_dot_function(GetParam()));
    EXPECT_NE(dot_function(GetParam()), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Quant, EveryType, ::testing::ValuesIn(kComputable), name_of);

TEST(Quant, OtherTypesAreNotComputable) {
    EXPECT_FALSE(can_compute(DType::Q4_K));
    EXPECT_FALSE(can_compute(DType::I32));
    EXPECT_EQ(dot_function(DType::Q6_K), nullptr);
}

}  // namespace
}  // namespace assistd
