#include "engine/tensor/matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/quant.h"
#include "engine/tensor/quant_reference.h"

namespace assistd {
namespace {

constexpr int64_t kRows = 67;  // not a multiple of any thread count tried
constexpr int64_t kCols = 256;

struct OwnedMatrix {
    std::vector<uint8_t> bytes;
    Matrix view;
};

OwnedMatrix random_matrix(DType type, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(kRows * kCols);
    for (float& v : values) v = uniform(rng);
    OwnedMatrix m;
    m.bytes.resize(kRows * row_bytes(type, kCols));
    quantize_row(type, values.data(), m.bytes.data(), kRows * kCols);
    m.view = Matrix{type, kCols, kRows, m.bytes.data()};
    return m;
}

class EveryType : public ::testing::TestWithParam<DType> {};

TEST_P(EveryType, MatvecOnAnyThreadCountMatchesTheReference) {
    const OwnedMatrix m = random_matrix(GetParam(), 9);
    std::vector<float> x(kCols);
    for (int64_t i = 0; i < kCols; ++i) x[i] = std::sin(static_cast<float>(i));
    const size_t stride = row_bytes(m.view.type, kCols);

    std::vector<float> single(kRows);
    ThreadPool one(1);
    matvec(m.view, x.data(), single.data(), one);
    for (int64_t r = 0; r < kRows; ++r) {
        const float expected =
            dot_row_reference(m.view.type, m.bytes.data() + r * stride, x.data(), kCols);
        EXPECT_NEAR(single[r], expected, 1e-4f) << "row " << r;
    }
    for (int threads : {2, 3}) {
        ThreadPool pool(threads);
        std::vector<float> y(kRows, NAN);
        matvec(m.view, x.data(), y.data(), pool);
        EXPECT_EQ(y, single) << threads << " threads";
    }
}

TEST_P(EveryType, MatmulEqualsOneMatvecPerActivation) {
    const OwnedMatrix m = random_matrix(GetParam(), 11);
    constexpr int64_t kBatch = 5;
    std::vector<float> x(kBatch * kCols);
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::cos(static_cast<float>(i) * 0.37f);
    ThreadPool pool(2);
    std::vector<float> batched(kBatch * kRows, NAN);
    matmul(m.view, x.data(), kBatch, batched.data(), pool);
    for (int64_t i = 0; i < kBatch; ++i) {
        std::vector<float> one(kRows);
        matvec(m.view, x.data() + i * kCols, one.data(), pool);
        for (int64_t r = 0; r < kRows; ++r) {
            EXPECT_NEAR(batched[i * kRows + r], one[r], 1e-5f * (1.0f + std::fabs(one[r])))
                << "activation " << i << " row " << r;
        }
    }
}

TEST_P(EveryType, GetRowDequantizesOneRow) {
    const OwnedMatrix m = random_matrix(GetParam(), 10);
    std::vector<float> row(kCols);
    std::vector<float> expected(kCols);
    get_row(m.view, 5, row.data());
    dequantize_row(m.view.type, m.bytes.data() + 5 * row_bytes(m.view.type, kCols), expected.data(),
                   kCols);
    EXPECT_EQ(row, expected);
}

// The integer path: the same products with the activations quantized once per call.
TEST_P(EveryType, Int8MatvecMatchesTheIntegerReferenceOnAnyThreadCount) {
    const OwnedMatrix m = random_matrix(GetParam(), 12);
    const DType act = activation_type(m.view.type);
    if (act == DType::F32) GTEST_SKIP() << "no integer path";
    std::vector<float> x(kCols);
    for (int64_t i = 0; i < kCols; ++i) x[i] = std::sin(static_cast<float>(i) * 0.7f);
    std::vector<uint8_t> xq(row_bytes(act, kCols));
    quantize_row(act, x.data(), xq.data(), kCols);
    const size_t stride = row_bytes(m.view.type, kCols);
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        std::vector<float> y(kRows, NAN);
        matvec(m.view, x.data(), y.data(), pool, ActivationMode::Int8);
        for (int64_t r = 0; r < kRows; ++r) {
            const float expected =
                quant_dot_row_reference(m.view.type, m.bytes.data() + r * stride, xq.data(), kCols);
            EXPECT_NEAR(y[r], expected, 1e-4f) << "row " << r << ", " << threads << " threads";
        }
    }
}

TEST_P(EveryType, Int8MatmulEqualsOneInt8MatvecPerActivation) {
    const OwnedMatrix m = random_matrix(GetParam(), 13);
    constexpr int64_t kBatch = 7;
    std::vector<float> x(kBatch * kCols);
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::cos(static_cast<float>(i) * 0.21f);
    ThreadPool pool(2);
    std::vector<float> batched(kBatch * kRows, NAN);
    matmul(m.view, x.data(), kBatch, batched.data(), pool, ActivationMode::Int8);
    for (int64_t i = 0; i < kBatch; ++i) {
        std::vector<float> one(kRows);
        matvec(m.view, x.data() + i * kCols, one.data(), pool, ActivationMode::Int8);
        for (int64_t r = 0; r < kRows; ++r) {
            EXPECT_EQ(batched[i * kRows + r], one[r]) << "activation " << i << " row " << r;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Matrix, EveryType,
                         ::testing::Values(DType::F32, DType::F16, DType::BF16, DType::Q8_0,
                                           DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1,
                                           DType::Q2_K, DType::Q3_K, DType::Q4_K, DType::Q5_K,
                                           DType::Q6_K),
                         [](const auto& info) { return std::string(traits_of(info.param).name); });

}  // namespace
}  // namespace assistd
