// Attention's weighted sum of values with AVX-512: a 64- or 128-value head is four or eight
// registers, so each position costs half the FMAs of the AVX2 kernel. (The query-key dots stay
// AVX2: their cost is the sum across lanes, which wider registers make longer, not shorter.)
#include <algorithm>

#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/kernels_avx512.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

#if defined(__x86_64__)

namespace {

// y[i] += sum_t weights[t] * rows[t * stride + i], 64 values of y at a time held in registers
// across all rows; the last values through masked loads.
__attribute__((target("avx512f,fma"))) void weighted_rows_avx512(const float* rows, int64_t stride,
                                                                 const float* weights,
                                                                 int64_t count, float* y,
                                                                 int64_t n) {
    for (int64_t i = 0; i < n; i += 64) {
        __m512 acc[4];
        __mmask16 mask[4];
        for (int k = 0; k < 4; ++k) {
            const int64_t left = std::clamp<int64_t>(n - i - 16 * k, 0, 16);
            mask[k] = static_cast<__mmask16>((1u << left) - 1);
            acc[k] = _mm512_maskz_loadu_ps(mask[k], y + i + 16 * k);
        }
        for (int64_t t = 0; t < count; ++t) {
            const __m512 w = _mm512_set1_ps(weights[t]);
            const float* row = rows + t * stride + i;
            for (int k = 0; k < 4; ++k) {
                acc[k] = _mm512_fmadd_ps(w, _mm512_maskz_loadu_ps(mask[k], row + 16 * k), acc[k]);
            }
        }
        for (int k = 0; k < 4; ++k) _mm512_mask_storeu_ps(y + i + 16 * k, mask[k], acc[k]);
    }
}

}  // namespace

WeightedRowsFn avx512_weighted_rows() {
    return weighted_rows_avx512;
}

#else

WeightedRowsFn avx512_weighted_rows() {
    return nullptr;
}

#endif

}  // namespace assistd
