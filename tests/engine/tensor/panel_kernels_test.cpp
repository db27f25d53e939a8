// The panel layout (panel_format.h): every kernel over it gives the reference expression bit for
// bit — the VNNI kernel for any number of activation rows, the AMX kernel for whole tiles and
// the rows after them — and the expression stays within rounding of the float product.
#include <gtest/gtest.h>

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

    // `count` activation rows in the panel layout, and their floats.
    std::vector<uint8_t> activations(int64_t count, std::vector<float>& values) const {
        const int64_t n = matrix_.cols;
        values = random_values(count * n, 11, 3.0f);
        const size_t stride = panel_activation_bytes(n);
        std::vector<uint8_t> packed(stride * static_cast<size_t>(count));
        for (int64_t j = 0; j < count; ++j)
            quantize_panel_activation(values.data() + j * n, packed.data() + j * stride, n);
        return packed;
    }

    // Every panel through `kernel`, into (count, rows) outputs.
    std::vector<float> run(PanelDotFn kernel, const std::vector<uint8_t>& a, int64_t count) const {
        std::vector<float> out(static_cast<size_t>(count * matrix_.rows), NAN);
        const size_t stride = panel_activation_bytes(matrix_.cols);
        for (int64_t p = 0; p < panels_->panels; ++p) {
            kernel(*panels_, p, a.data(), stride, count, out.data() + p * kPanelRows,
                   static_cast<size_t>(matrix_.rows));
        }
        return out;
    }

    std::vector<float> reference(const std::vector<uint8_t>& a, int64_t count) const {
        return run(
            [](const PanelWeights& w, int64_t panel, const uint8_t* act, size_t stride, int64_t n,
               float* out, size_t out_stride) {
                panel_dot_reference(w, panel, act, stride, n, out, out_stride);
            },
            a, count);
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
    std::vector<float> x;
    const std::vector<uint8_t> a = activations(3, x);
    const std::vector<float> got = reference(a, 3);
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
    if (panel_dot_function() == nullptr) GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
    for (int64_t count : {1, 2, 3, 7, 8, 9, 17}) {
        SCOPED_TRACE(count);
        std::vector<float> x;
        const std::vector<uint8_t> a = activations(count, x);
        expect_same_bits(run(avx512_panel_dot(), a, count), reference(a, count));
    }
}

TEST_P(PanelKernels, AmxKernelEqualsTheReferenceForTilesAndTheRowsAfter) {
    if (amx_panel_dot() == nullptr) GTEST_SKIP() << "no AMX on this CPU (or not granted)";
    for (int64_t count : {1, 16, 21, 48}) {
        SCOPED_TRACE(count);
        std::vector<float> x;
        const std::vector<uint8_t> a = activations(count, x);
        expect_same_bits(run(amx_panel_dot(), a, count), reference(a, count));
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, PanelKernels,
                         ::testing::Values(Case{DType::Q4_0, 16, 32}, Case{DType::Q4_0, 37, 96},
                                           Case{DType::Q4_0, 80, 896}, Case{DType::Q8_0, 5, 64},
                                           Case{DType::Q8_0, 37, 96}, Case{DType::Q8_0, 48, 896}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             return std::string(info.param.type == DType::Q4_0 ? "Q4_0" : "Q8_0") +
                                    "_" + std::to_string(info.param.rows) + "x" +
                                    std::to_string(info.param.cols);
                         });

}  // namespace
}  // namespace assistd
