// The integer path: activation encoders, and every integer kernel (AVX-512, AVX2, whichever the
// dispatcher picks) held to the exact integer reference on rows of awkward lengths.
#include "engine/tensor/activation_quant.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "engine/tensor/cpu_features.h"
#include "engine/tensor/half.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/kernels_avx512.h"
#include "engine/tensor/quant.h"
#include "random_rows.h"

namespace assistd {
namespace {

constexpr DType kIntegerWeights[] = {DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1,
                                     DType::Q8_0, DType::Q2_K, DType::Q3_K, DType::Q4_K,
                                     DType::Q5_K, DType::Q6_K};

// 1, 2, 3, 5, 17 and 19 blocks of the weight type.
std::vector<int64_t> awkward_lengths(DType weight) {
    std::vector<int64_t> lengths;
    for (int64_t blocks : {1, 2, 3, 5, 17, 19})
        lengths.push_back(blocks * traits_of(weight).block_size);
    return lengths;
}

// Holds `kernel`'s dot of one row with one activation row to the reference; the tolerance is
// float rounding of the block sums.
void expect_near_reference(DType weight, QuantDotFn kernel, const std::vector<uint8_t>& row,
                           const std::vector<uint8_t>& act, int64_t n) {
    std::vector<float> w(static_cast<size_t>(n));
    std::vector<float> a(static_cast<size_t>(n));
    dequantize_row(weight, row.data(), w.data(), n);
    dequantize_row(activation_type(weight), act.data(), a.data(), n);
    double magnitude = 0.0;
    for (int64_t i = 0; i < n; ++i) magnitude += std::fabs(double{w[i]} * a[i]);
    const float expected = quant_dot_row_reference(weight, row.data(), act.data(), n);
    EXPECT_NEAR(kernel(row.data(), act.data(), n), expected, 1e-5 * magnitude) << "n = " << n;
}

void expect_matches_reference(DType weight, QuantDotFn kernel) {
    ASSERT_NE(kernel, nullptr);
    for (int64_t n : awkward_lengths(weight)) {
        expect_near_reference(weight, kernel, quantized(weight, random_values(n, 7, 2.0f)),
                              quantized(activation_type(weight), random_values(n, 8, 1.0f)), n);
    }
}

std::string name_of(const ::testing::TestParamInfo<DType>& info) {
    return std::string(traits_of(info.param).name);
}

class IntegerWeights : public ::testing::TestWithParam<DType> {};

TEST_P(IntegerWeights, PairsWithTheActivationTypeGgmlUses) {
    const DType weight = GetParam();
    const DType expected = traits_of(weight).block_size == 256              ? DType::Q8_K
                           : weight == DType::Q4_1 || weight == DType::Q5_1 ? DType::Q8_1
                                                                            : DType::Q8_0;
    EXPECT_EQ(activation_type(weight), expected);
}

TEST_P(IntegerWeights, DispatchedKernelMatchesTheReference) {
    expect_matches_reference(GetParam(), quant_dot_function(GetParam()));
}

TEST_P(IntegerWeights, Avx2KernelMatchesTheReference) {
    if (!detect_cpu_features().avx2_fma_f16c()) GTEST_SKIP() << "no AVX2";
    const QuantDotFn kernel = avx2_quant_dot_function(GetParam());
    if (kernel == nullptr) GTEST_SKIP() << "no AVX2 integer kernel for this type";
    expect_matches_reference(GetParam(), kernel);
}

TEST_P(IntegerWeights, Avx512KernelMatchesTheReference) {
    if (!detect_cpu_features().avx512_vnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    const QuantDotFn kernel = avx512_quant_dot_function(GetParam());
    if (kernel == nullptr) GTEST_SKIP() << "no AVX-512 integer kernel for this type";
    expect_matches_reference(GetParam(), kernel);
}

// A batch of activation rows through the many-row kernel (in its own activation layout) gives
// each row exactly what the one-row kernel gives it alone, whatever the batch size: kernels take
// rows four or eight at a time, so 1 to 9 covers full groups and every remainder. It writes
// nothing but its outputs.
void expect_many_equals_one(DType weight, const QuantDotMany& many, QuantDotFn one) {
    const DType act_type = activation_type(weight);
    for (int64_t n : awkward_lengths(weight)) {
        const std::vector<uint8_t> row = quantized(weight, random_values(n, 11, 2.0f));
        const size_t stride = many.row_bytes(n);
        for (int64_t count = 1; count <= 9; ++count) {
            std::vector<std::vector<uint8_t>> acts;
            std::vector<uint8_t> packed(stride * static_cast<size_t>(count));
            for (int64_t j = 0; j < count; ++j) {
                acts.push_back(quantized(act_type, random_values(n, 100 + j, 1.0f)));
                uint8_t* at = packed.data() + j * stride;
                if (many.pack) {
                    many.pack(acts.back().data(), at, n);
                } else {
                    ASSERT_EQ(acts.back().size(), stride);
                    std::memcpy(at, acts.back().data(), stride);
                }
            }
            constexpr size_t kOutStride = 3;
            std::vector<float> out(static_cast<size_t>(count) * kOutStride, -7.0f);
            many.dot(row.data(), packed.data(), stride, count, n, out.data(), kOutStride);
            for (int64_t j = 0; j < count; ++j) {
                EXPECT_EQ(out[j * kOutStride], one(row.data(), acts[j].data(), n))
                    << "n = " << n << ", row " << j << " of " << count;
                EXPECT_EQ(out[j * kOutStride + 1], -7.0f);
                EXPECT_EQ(out[j * kOutStride + 2], -7.0f);
            }
        }
    }
}

TEST_P(IntegerWeights, ManyRowKernelEqualsTheOneRowKernelBitForBit) {
    const QuantDotMany many = quant_dot_many(GetParam());
    if (many.dot == nullptr) GTEST_SKIP() << "no many-row kernel for this type on this CPU";
    expect_many_equals_one(GetParam(), many, quant_dot_function(GetParam()));
}

// The AVX2 pair, which AVX2-only hosts dispatch to, checked on AVX-512 hosts too.
TEST_P(IntegerWeights, Avx2ManyRowKernelEqualsTheAvx2OneRowKernelBitForBit) {
    if (!detect_cpu_features().avx2_fma_f16c()) GTEST_SKIP() << "no AVX2";
    const QuantDotMany many = avx2_quant_dot_many(GetParam());
    if (many.dot == nullptr) GTEST_SKIP() << "no AVX2 many-row kernel for this type";
    expect_many_equals_one(GetParam(), many, avx2_quant_dot_function(GetParam()));
}

// The integer dot differs from the float dot only by the activations' 8-bit rounding.
TEST_P(IntegerWeights, IntegerDotIsCloseToTheFloatDot) {
    const DType weight = GetParam();
    constexpr int64_t kLength = 4096;
    const std::vector<uint8_t> row = quantized(weight, random_values(kLength, 9, 1.0f));
    const std::vector<float> x = random_values(kLength, 10, 1.0f);
    const std::vector<uint8_t> act = quantized(activation_type(weight), x);
    std::vector<float> w(kLength);
    dequantize_row(weight, row.data(), w.data(), kLength);
    double magnitude = 0.0;
    for (int64_t i = 0; i < kLength; ++i) magnitude += std::fabs(double{w[i]} * x[i]);
    EXPECT_NEAR(quant_dot_function(weight)(row.data(), act.data(), kLength),
                dot_row(weight, row.data(), x.data(), kLength), 0.01 * magnitude);
}

INSTANTIATE_TEST_SUITE_P(ActivationQuant, IntegerWeights, ::testing::ValuesIn(kIntegerWeights),
                         name_of);

// The largest sums a K-quant kernel meets: every code at one end of its range, every activation
// code at +127 or -127, scales and mins at their largest magnitudes. The kernels keep products
// in int16 lanes on the way, which must not saturate here.
TEST(ActivationQuant, KQuantKernelsHoldAtTheExtremesOfCodesAndScales) {
    struct Extremes {
        DType type;
        int8_t scale_even, scale_odd;  // of the even and the odd sub-blocks
    };
    constexpr int64_t kBlocks = 3;
    constexpr int64_t kLength = kBlocks * kSuperBlockValues;
    for (const Extremes& e : {Extremes{DType::Q4_K, 63, 63}, Extremes{DType::Q6_K, -128, 127}}) {
        const KBlockFormat format = *k_block_format(e.type);
        for (int code : {format.q_min, format.q_max}) {
            KBlockValues values;
            values.d = 0.5f;
            values.dmin = format.has_min ? 0.25f : 0.0f;
            for (int s = 0; s < format.sub_blocks(); ++s) {
                values.scale[s] = s % 2 == 0 ? e.scale_even : e.scale_odd;
                values.min[s] = format.has_min ? 63 : 0;
            }
            for (int8_t& q : values.q) q = static_cast<int8_t>(code);
            std::vector<uint8_t> row(row_bytes(e.type, kLength));
            for (int64_t b = 0; b < kBlocks; ++b)
                pack_k_block(format, values, row.data() + b * traits_of(e.type).type_size);
            for (float sign : {1.0f, -1.0f}) {
                // Q8_K scales by the first value of largest magnitude, and to -127: a -1 first
                // makes the other codes +127 where sign is +1.
                std::vector<float> x(kLength, sign);
                for (int64_t b = 0; b < kBlocks; ++b) x[b * kSuperBlockValues] = -1.0f;
                const std::vector<uint8_t> act = quantized(DType::Q8_K, x);
                SCOPED_TRACE(std::string(traits_of(e.type).name) + " code " + std::to_string(code) +
                             " sign " + std::to_string(sign));
                expect_near_reference(e.type, quant_dot_function(e.type), row, act, kLength);
            }
        }
    }
}

// The SIMD encoders must write quantize_row's bytes, ties and clamped extremes included.
TEST(ActivationQuant, FastEncodersWriteTheReferenceBytes) {
    for (DType type : {DType::Q8_0, DType::Q8_1, DType::Q8_K}) {
        std::vector<float> x = random_values(256 * 5, 13, 4.0f);
        for (int i = 0; i < 32; ++i) x[i] = static_cast<float>(i - 16) * 0.5f;  // halfway codes
        for (int i = 256; i < 512; ++i) x[i] = 0.0f;                            // an empty block
        x[600] = -8.0f;  // the largest magnitude, negative
        x[601] = 8.0f;   // and its positive twin after it
        std::vector<uint8_t> fast(row_bytes(type, static_cast<int64_t>(x.size())));
        quantize_activation(type, x.data(), fast.data(), static_cast<int64_t>(x.size()));
        EXPECT_EQ(fast, quantized(type, x)) << traits_of(type).name;
    }
}

TEST(ActivationQuant, FloatTypesHaveNoIntegerPath) {
    for (DType type : {DType::F32, DType::F16, DType::BF16}) {
        EXPECT_EQ(activation_type(type), DType::F32);
        EXPECT_EQ(quant_dot_function(type), nullptr);
    }
}

// Q8_K's bsums are what the K-quant kernels subtract the minimums with.
TEST(ActivationQuant, Q8KStoresTheSumsOf16Codes) {
    const std::vector<uint8_t> block = quantized(DType::Q8_K, random_values(256, 11, 3.0f));
    const auto* qs = reinterpret_cast<const int8_t*>(block.data() + 4);
    std::vector<int16_t> bsums(16);
    std::memcpy(bsums.data(), block.data() + 4 + 256, 32);
    for (int s = 0; s < 16; ++s) {
        int sum = 0;
        for (int j = 0; j < 16; ++j) sum += qs[16 * s + j];
        EXPECT_EQ(bsums[s], sum) << "sub-block " << s;
    }
}

TEST(ActivationQuant, Q8_1StoresDTimesTheSumOfCodes) {
    const std::vector<float> x = random_values(32, 12, 1.0f);
    const std::vector<uint8_t> block = quantized(DType::Q8_1, x);
    std::vector<float> back(32);
    dequantize_row(DType::Q8_1, block.data(), back.data(), 32);
    float sum = 0.0f;
    for (float v : back) sum += v;
    uint16_t s;
    std::memcpy(&s, block.data() + 2, sizeof s);
    EXPECT_NEAR(fp16_to_fp32(s), sum, std::fabs(sum) * 1e-3 + 1e-3);
}

// ASSISTD_CPU caps what the kernels may use, so AVX2-only and scalar hosts' paths can run here.
TEST(CpuFeatures, ACapLeavesOutTheWiderInstructionSets) {
    const CpuFeatures all{.avx2 = true,
                          .fma = true,
                          .f16c = true,
                          .avx512f = true,
                          .avx512bw = true,
                          .avx512vl = true,
                          .avx512vnni = true,
                          .amx_tile = true,
                          .amx_int8 = true};
    EXPECT_TRUE(cap_cpu_features(all, "").amx_int8_tiles());
    EXPECT_FALSE(cap_cpu_features(all, "avx512").amx_int8_tiles());
    EXPECT_TRUE(cap_cpu_features(all, "avx512").avx512_vnni());
    EXPECT_TRUE(cap_cpu_features(all, "").avx512_vnni());
    EXPECT_TRUE(cap_cpu_features(all, "native").avx512_vnni());
    EXPECT_FALSE(cap_cpu_features(all, "avx2").avx512_vnni());
    EXPECT_TRUE(cap_cpu_features(all, "avx2").avx2_fma_f16c());
    EXPECT_FALSE(cap_cpu_features(all, "scalar").avx2_fma_f16c());
    EXPECT_FALSE(cap_cpu_features({}, "native").avx2);
}

}  // namespace
}  // namespace assistd
