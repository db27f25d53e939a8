// Picks, per type, the fastest dot kernel the running CPU supports.
#include "engine/tensor/quant.h"

#include "engine/tensor/cpu_features.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/kernels_avx512.h"
#include "engine/tensor/quant_reference.h"

namespace assistd {
namespace {

template <DType kType>
float dot_reference(const void* row, const float* x, int64_t n) {
    return dot_row_reference(kType, row, x, n);
}

DotFn reference_function(DType type) {
    switch (type) {
        case DType::F32:
            return dot_reference<DType::F32>;
        case DType::F16:
            return dot_reference<DType::F16>;
        case DType::BF16:
            return dot_reference<DType::BF16>;
        case DType::Q4_0:
            return dot_reference<DType::Q4_0>;
        case DType::Q4_1:
            return dot_reference<DType::Q4_1>;
        case DType::Q5_0:
            return dot_reference<DType::Q5_0>;
        case DType::Q5_1:
            return dot_reference<DType::Q5_1>;
        case DType::Q8_0:
            return dot_reference<DType::Q8_0>;
        case DType::Q8_1:
            return dot_reference<DType::Q8_1>;
        case DType::Q2_K:
            return dot_reference<DType::Q2_K>;
        case DType::Q3_K:
            return dot_reference<DType::Q3_K>;
        case DType::Q4_K:
            return dot_reference<DType::Q4_K>;
        case DType::Q5_K:
            return dot_reference<DType::Q5_K>;
        case DType::Q6_K:
            return dot_reference<DType::Q6_K>;
        case DType::Q8_K:
            return dot_reference<DType::Q8_K>;
        default:
            return nullptr;
    }
}

}  // namespace

bool can_compute(DType type) {
    return reference_function(type) != nullptr;
}

DotFn dot_function(DType type) {
    static const bool has_avx2 = cpu_has_avx2();
    if (has_avx2) {
        if (DotFn fast = avx2_dot_function(type)) return fast;
    }
    return reference_function(type);
}

namespace {

void row_dots_scalar(const float* rows, int64_t stride, const float* x, int64_t n, int64_t count,
                     float* out) {
    for (int64_t t = 0; t < count; ++t) {
        float sum = 0.0f;
        for (int64_t i = 0; i < n; ++i) sum += rows[t * stride + i] * x[i];
        out[t] = sum;
    }
}

void weighted_rows_scalar(const float* rows, int64_t stride, const float* weights, int64_t count,
                          float* y, int64_t n) {
    for (int64_t t = 0; t < count; ++t) {
        for (int64_t i = 0; i < n; ++i) y[i] += weights[t] * rows[t * stride + i];
    }
}

}  // namespace

AttentionKernels attention_kernels() {
    static const bool has_avx2 = cpu_has_avx2();
    static const bool has_avx512 = detect_cpu_features().avx512_vnni();
    if (!has_avx2) return AttentionKernels{row_dots_scalar, weighted_rows_scalar};
    AttentionKernels kernels = avx2_attention_kernels();
    if (has_avx512) {
        kernels.row_dots = avx512_row_dots();
        kernels.weighted_rows = avx512_weighted_rows();
    }
    return kernels;
}

float dot_row(DType type, const void* row, const float* x, int64_t n) {
    return dot_function(type)(row, x, n);
}

}  // namespace assistd
