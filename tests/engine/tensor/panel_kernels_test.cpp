// The panel layout (panel_format.h): every kernel over it gives the reference expression bit for
// bit — the VNNI kernel for any number of activation rows, the AMX kernel for whole tiles and
// the rows after them — and the expression stays within rounding of the float product.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/tensor/matrix.h"
#include "engine/tensor/panel_kernels.h"
#include "random_rows.h"

namespace assistd {
namespace {

struct Case {
    DType type;
    int64_t rows;
    int64_t cols;
};

class PanelKernels : public ::testing::TestWithParam<Case> {
  protected:
    void SetUp() override {
        const Case c = GetParam();
        weights_ = quantized(c.type, random_values(c.rows * c.cols, 7));
        matrix_ = Matrix{c.type, c.cols, c.rows, weights_.data()};
        panels_ = pack_panels(matrix_);
        ASSERT_NE(panels_, nullptr);
    }

    // `count` activation rows in the panel layout (in `bytes`), and their floats.
    PanelActivations activations(int64_t count, std::vector<uint8_t>& bytes,
                                 std::vector<float>& values) const {
        const int64_t n = matrix_.cols;
        values = random_values(count * n, 11, 3.0f);
        bytes.assign(PanelActivations::bytes(n, count), 0);
        PanelActivations a(bytes.data(), n, count);
        for (int64_t j = 0; j < count; ++j) a.quantize(j, values.data() + j * n);
        return a;
    }

    // Every panel through `kernel` (in pieces of `piece` panels), into (count, rows) outputs, from
    // activation row `first` on.
    std::vector<float> run(PanelDotFn kernel, const PanelActivations& a, int64_t first = 0,
                           int64_t piece = 3) const {
        const int64_t count = a.rows() - first;
        std::vector<float> out(static_cast<size_t>(count * matrix_.rows), NAN);
        for (int64_t p = 0; p < panels_->panels; p += piece) {
            kernel(*panels_, p, std::min(p + piece, panels_->panels), a, first, count,
                   out.data() + p * kPanelRows, static_cast<size_t>(matrix_.rows));
        }
        return out;
    }

    std::vector<float> reference(const PanelActivations& a, int64_t first = 0) const {
        return run(panel_dot_reference, a, first, 1);
    }

    std::vector<uint8_t> weights_;
    Matrix matrix_{};
    std::unique_ptr<PanelWeights> panels_;
};

void expect_same_bits(const std::vector<float>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << "output " << i;
}

TEST_P(PanelKernels, ReferenceIsTheFloatProductWithinActivationRounding) {
    std::vector<uint8_t> bytes;
    std::vector<float> x;
    const std::vector<float> got = reference(activations(3, bytes, x));
    const int64_t n = matrix_.cols;
    std::vector<float> row(static_cast<size_t>(n));
    for (int64_t j = 0; j < 3; ++j) {
        for (int64_t r = 0; r < matrix_.rows; ++r) {
            get_row(matrix_, r, row.data());
            double exact = 0.0, magnitude = 0.0;
            for (int64_t i = 0; i < n; ++i) {
                exact += static_cast<double>(row[i]) * x[j * n + i];
                magnitude += std::fabs(static_cast<double>(row[i]) * x[j * n + i]);
            }
            // 8-bit activations: each value off by up to half a step of 1/127 of its block's max.
            EXPECT_NEAR(got[j * matrix_.rows + r], exact, 0.02 * magnitude + 1e-3)
                << "row " << r << " activation " << j;
        }
    }
}

TEST_P(PanelKernels, Avx512KernelEqualsTheReferenceForAnyCount) {
    if (avx512_panel_dot() == nullptr) GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
    for (int64_t count : {1, 2, 3, 7, 8, 9, 17}) {
        SCOPED_TRACE(count);
        std::vector<uint8_t> bytes;
        std::vector<float> x;
        const PanelActivations a = activations(count, bytes, x);
        expect_same_bits(run(avx512_panel_dot(), a), reference(a));
    }
}

// The AVX2 kernel: eight rows a register, two activation rows a pass, chunks of 32 rows.
TEST_P(PanelKernels, Avx2KernelEqualsTheReferenceForAnyCount) {
    if (avx2_panel_dot() == nullptr) GTEST_SKIP() << "no AVX2 on this CPU";
    for (int64_t count : {1, 2, 3, 7, 33, 35}) {
        SCOPED_TRACE(count);
        std::vector<uint8_t> bytes;
        std::vector<float> x;
        const PanelActivations a = activations(count, bytes, x);
        expect_same_bits(run(avx2_panel_dot(), a), reference(a));
    }
}

TEST_P(PanelKernels, AmxKernelEqualsTheReferenceForTilesAndTheRowsAfter) {
    if (amx_panel_dot() == nullptr) GTEST_SKIP() << "no AMX on this CPU (or not granted)";
    // Rows from the first tile's start (below a tile all VNNI; whole tiles, a last tile partly used
    // from 4 rows on, fewer rows after it through VNNI), and from inside a tile (all VNNI); pieces
    // of three panels: a pair and one alone, each with pairs of tiles and a tile alone.
    for (int64_t count : {1, 8, 16, 19, 21, 47, 48}) {
        for (int64_t first : {0, 3}) {
            SCOPED_TRACE(std::to_string(count) + " rows from " + std::to_string(first));
            std::vector<uint8_t> bytes;
            std::vector<float> x;
            const PanelActivations a = activations(count + first, bytes, x);
            expect_same_bits(run(amx_panel_dot(), a, first), reference(a, first));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, PanelKernels,
                         ::testing::Values(Case{DType::Q4_0, 16, 32}, Case{DType::Q4_0, 37, 96},
                                           Case{DType::Q4_0, 80, 896}, Case{DType::Q8_0, 5, 64},
                                           Case{DType::Q8_0, 37, 96}, Case{DType::Q8_0, 48, 896},
                                           Case{DType::Q4_K, 37, 256}, Case{DType::Q4_K, 48, 768},
                                           Case{DType::Q5_K, 37, 256}, Case{DType::Q5_K, 48, 768},
                                           Case{DType::Q4_1, 37, 96}, Case{DType::Q5_1, 64, 896},
                                           Case{DType::Q5_0, 37, 96}, Case{DType::Q5_0, 64, 896},
                                           Case{DType::Q6_K, 37, 256}, Case{DType::Q6_K, 48, 768}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             return std::string(traits_of(info.param.type).name) + "_" +
                                    std::to_string(info.param.rows) + "x" +
                                    std::to_string(info.param.cols);
                         });

// A group of products sharing their input (a layer's Q, K and V: different row counts, one of them
// not a whole number of panels) gives the numbers of one matmul after another, bit for bit, for a
// decode row and for a batch, whatever the thread count; also where one matrix has no panels.
TEST(SharedInputProducts, EqualOneMatmulAfterAnother) {
    if (panel_dot_function() == nullptr) GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
    constexpr int64_t kCols = 256;
    const int64_t rows[] = {80, 37, 16};
    std::vector<std::vector<uint8_t>> weights;
    std::vector<Matrix> matrices;
    std::vector<std::unique_ptr<PanelWeights>> panels;
    for (int i = 0; i < 3; ++i) {
        const DType type = i == 1 ? DType::Q4_K : DType::Q4_0;
        weights.push_back(quantized(type, random_values(rows[i] * kCols, 20 + i)));
        matrices.push_back(Matrix{type, kCols, rows[i], weights.back().data()});
        panels.push_back(pack_panels(matrices.back()));
        matrices.back().panels = panels.back().get();
    }
    for (const bool all_panels : {true, false}) {
        matrices[2].panels = all_panels ? panels[2].get() : nullptr;
        for (const int64_t n : {1, 20}) {
            const std::vector<float> x = random_values(n * kCols, 30, 2.0f);
            for (const int threads : {1, 2, 3}) {
                ThreadPool pool(threads);
                std::vector<std::vector<float>> alone, shared;
                std::vector<Product> products;
                for (int i = 0; i < 3; ++i) {
                    alone.emplace_back(static_cast<size_t>(n * rows[i]));
                    shared.emplace_back(static_cast<size_t>(n * rows[i]), NAN);
                    matmul(matrices[i], x.data(), n, alone[i].data(), pool, ActivationMode::Int8);
                    products.push_back({matrices[i], shared[i].data()});
                }
                matmul_shared_input(products, x.data(), n, pool, ActivationMode::Int8);
                for (int i = 0; i < 3; ++i) {
                    SCOPED_TRACE(testing::Message() << "matrix " << i << ", " << n << " rows, "
                                                    << threads << " threads");
                    expect_same_bits(shared[i], alone[i]);
                }
            }
        }
    }
}

// The AVX-512 and AVX2 quantizers write the reference's bits: codes, f16-rounded scales and code
// sums, for blocks of ordinary values, a block of zeros, ties at .5 and values of very different
// sizes.
TEST(PanelQuantizer, SimdGivesTheReferenceBits) {
    constexpr int64_t kBlocks = 40;
    std::vector<float> x = random_values(kBlocks * kBlockValues, 5, 3.0f);
    std::fill(x.begin() + 32, x.begin() + 64, 0.0f);
    for (int k = 0; k < 32; ++k) x[64 + k] = static_cast<float>(k - 16) * 127.0f / 16 / 2;
    for (int k = 0; k < 32; ++k) x[96 + k] *= 1e-6f;
    for (int k = 0; k < 32; ++k) x[128 + k] *= 1e5f;
    const auto quantized = [&](PanelQuantizeFn quantize) {
        std::vector<uint8_t> bytes(PanelActivations::bytes(kBlocks * kBlockValues, 1));
        const PanelActivations a(bytes.data(), kBlocks * kBlockValues, 1);
        quantize(x.data(), kBlocks, a.slots(0));
        return bytes;
    };
    const std::vector<uint8_t> reference = quantized(quantize_panel_row_reference);
    for (const PanelQuantizeFn simd : {avx512_panel_quantize(), avx2_panel_quantize()}) {
        if (simd != nullptr) {
            EXPECT_EQ(quantized(simd), reference);
        }
    }
}

}  // namespace
}  // namespace assistd
