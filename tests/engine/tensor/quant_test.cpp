// Round trips, and the dot kernels held to the scalar reference, for every computable type.
#include "engine/tensor/quant.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "engine/tensor/block_format.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/quant_reference.h"
#include "random_rows.h"

namespace assistd {
namespace {

constexpr DType kComputable[] = {DType::F32,  DType::F16,  DType::BF16, DType::Q8_0, DType::Q8_1,
                                 DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1, DType::Q2_K,
                                 DType::Q3_K, DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::Q8_K};

std::string name_of(const ::testing::TestParamInfo<DType>& info) {
    return std::string(traits_of(info.param).name);
}

float max_abs(const std::vector<float>& values, size_t begin, int64_t n) {
    float max = 0.0f;
    for (size_t i = begin; i < begin + static_cast<size_t>(n); ++i)
        max = std::max(max, std::fabs(values[i]));
    return max;
}

// A K-quant value may land a whole step of its sub-block scale away (the fitted scale can be
// smaller than the range, clamping the extremes), plus half a step of the quantized minimum.
double k_quant_error_bound(const KBlockFormat& format, const uint8_t* block, size_t v) {
    const KBlockValues k = unpack_k_block(format, block);
    const int s = static_cast<int>(v) / format.sub_block;
    const double step = std::fabs(double{k.d} * k.scale[s]);
    return 1.5 * step + std::fabs(double{k.dmin}) + 1e-6;
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
    const size_t block_bytes = traits_of(type).type_size;
    for (size_t i = 0; i < values.size(); ++i) {
        double bound = std::fabs(values[i]) * (type == DType::BF16 ? 0x1p-8 : 0x1p-11);
        if (const std::optional<KBlockFormat> k = k_block_format(type)) {
            bound = k_quant_error_bound(*k, row.data() + (i / 256) * block_bytes, i % 256);
        } else if (type == DType::Q8_1 || type == DType::Q8_K) {
            bound =
                std::fabs(back[i]) * 0x1p-11 +
                max_abs(values, i - i % traits_of(type).block_size, traits_of(type).block_size) /
                    254;
        } else if (format) {
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
    // 1, 2, 3, 5, 129 and 131 blocks; for the K-quants 1, 2, 3, 5, 17 and 19 super-blocks.
    const std::vector<int64_t> lengths =
        block == 256 ? std::vector<int64_t>{256, 512, 768, 1280, 4352, 4864}
                     : std::vector<int64_t>{32, 64, 96, 160, 4096 + 32, 4096 + 96};
    for (int64_t n : lengths) {
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
    constexpr int64_t kLength = 1024;  // 4 super-blocks
    const std::vector<uint8_t> row = quantized(type, random_values(kLength, 4));
    const std::vector<float> x = random_values(kLength, 5);
    std::vector<float> w(kLength);
    dequantize_row(type, row.data(), w.data(), kLength);
    double expected = 0.0;
    for (int64_t i = 0; i < kLength; ++i) expected += double{w[i]} * x[i];
    EXPECT_FLOAT_EQ(dot_row_reference(type, row.data(), x.data(), kLength),
                    static_cast<float>(expected));
}

// Otherwise the comparisons above would hold the reference to itself. The K-quants and the
// activation formats have integer kernels instead (activation_quant_test).
TEST_P(EveryType, UsesTheSimdKernelWhereTheCpuHasOne) {
    if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2, FMA and F16C on this CPU";
    const DType type = GetParam();
    if (traits_of(type).block_size == 256 || type == DType::Q8_1) GTEST_SKIP() << "no float kernel";
    EXPECT_EQ(dot_function(type), avx2_dot_function(type));
    EXPECT_NE(dot_function(type), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Quant, EveryType, ::testing::ValuesIn(kComputable), name_of);

TEST(Quant, OtherTypesAreNotComputable) {
    EXPECT_FALSE(can_compute(DType::IQ4_XS));
    EXPECT_FALSE(can_compute(DType::I32));
    EXPECT_EQ(dot_function(DType::IQ4_NL), nullptr);
}

// Attention's kernels against plain loops, on strided rows: every length's tail handled, nothing
// written past the outputs.
TEST(Quant, AttentionKernelsMatchPlainLoops) {
    const AttentionKernels kernels = attention_kernels();
    constexpr int64_t kStride = 136;
    for (int64_t n : {1, 7, 8, 9, 40, 64, 100, 128}) {
        for (int64_t count : {1, 5, 16, 21}) {
            std::vector<float> rows(static_cast<size_t>(count * kStride));
            for (size_t i = 0; i < rows.size(); ++i)
                rows[i] = 0.25f * static_cast<float>(i % 23) - 2.0f;
            std::vector<float> x(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i) x[i] = 0.5f - 0.125f * static_cast<float>(i % 11);

            std::vector<float> scores(static_cast<size_t>(count) + 1, 42.0f);
            kernels.row_dots(rows.data(), kStride, x.data(), n, count, scores.data());
            for (int64_t t = 0; t < count; ++t) {
                double expected = 0.0;
                for (int64_t i = 0; i < n; ++i) expected += double{rows[t * kStride + i]} * x[i];
                // Exact: quarters and eighths times small integers sum exactly in a float.
                EXPECT_EQ(scores[t], static_cast<float>(expected)) << n << " " << count << " " << t;
            }
            EXPECT_EQ(scores[count], 42.0f);

            std::vector<float> y(static_cast<size_t>(n) + 1, 1.0f);
            y[n] = 42.0f;
            std::vector<float> weights(static_cast<size_t>(count));
            for (int64_t t = 0; t < count; ++t) weights[t] = 0.5f * static_cast<float>(t) - 1.0f;
            kernels.weighted_rows(rows.data(), kStride, weights.data(), count, y.data(), n);
            for (int64_t i = 0; i < n; ++i) {
                double expected = 1.0;
                for (int64_t t = 0; t < count; ++t)
                    expected += double{weights[t]} * rows[t * kStride + i];
                EXPECT_EQ(y[i], static_cast<float>(expected)) << n << " " << count << " " << i;
            }
            EXPECT_EQ(y[n], 42.0f);
        }
    }
}

}  // namespace
}  // namespace assistd
