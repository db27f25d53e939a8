// Attention's float loops with AVX-512. Query-key dots: sixteen keys at a time, each key's products
// with the query summed lane-wise into one register, then the sixteen registers folded into one
// register of sixteen dots by a transpose-and-add tree (45 operations, where one horizontal sum
// per key took 8 or more). The weighted sum of values: a 64- or 128-value head is four or eight
// registers, so each position costs half the FMAs of the AVX2 kernel.
#include <algorithm>

#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/kernels_avx512.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

#if defined(__x86_64__)

#define ASSISTD_ATTENTION_AVX512 __attribute__((target("avx512f,fma")))

namespace {

// y[i] += sum_t weights[t] * rows[t * stride + i], 64 values of y at a time held in registers
// across all rows; the last values through masked loads.
ASSISTD_ATTENTION_AVX512 void weighted_rows_avx512(const float* rows, int64_t stride,
                                                   const float* weights, int64_t count, float* y,
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

// Sixteen vectors to one: lane t the sum of v[t]'s lanes, always added in the same order.
ASSISTD_ATTENTION_AVX512 __m512 fold16(__m512 v[16]) {
    // Pairs of keys: within each 128-bit lane, [a0+a2, b0+b2, a1+a3, b1+b3].
    __m512 pairs[8];
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
        pairs[i] = _mm512_add_ps(_mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]),
                                 _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]));
    }
    // Fours: within each 128-bit lane, one partial sum per key of the four.
    __m512 fours[4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
        const __m512d a = _mm512_castps_pd(pairs[2 * i]);
        const __m512d b = _mm512_castps_pd(pairs[2 * i + 1]);
        fours[i] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)),
                                 _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
    }
    // Across the 128-bit lanes: fours[i] holds keys 4i..4i+3 in each lane.
    const __m512 halves01 = _mm512_add_ps(_mm512_shuffle_f32x4(fours[0], fours[1], 0x44),
                                          _mm512_shuffle_f32x4(fours[0], fours[1], 0xee));
    const __m512 halves23 = _mm512_add_ps(_mm512_shuffle_f32x4(fours[2], fours[3], 0x44),
                                          _mm512_shuffle_f32x4(fours[2], fours[3], 0xee));
    return _mm512_add_ps(_mm512_shuffle_f32x4(halves01, halves23, 0x88),
                         _mm512_shuffle_f32x4(halves01, halves23, 0xdd));
}

// out[t] = sum_i rows[t * stride + i] * x[i], sixteen rows t at a time.
ASSISTD_ATTENTION_AVX512 void row_dots_avx512(const float* rows, int64_t stride, const float* x,
                                              int64_t n, int64_t count, float* out) {
    const auto tail = static_cast<__mmask16>((1u << (n % 16)) - 1);
    for (int64_t first = 0; first < count; first += 16) {
        const int64_t keys = std::min<int64_t>(16, count - first);
        __m512 products[16];
#pragma GCC unroll 16
        for (int t = 0; t < 16; ++t) products[t] = _mm512_setzero_ps();
        // The query's values once per 16, against every key's.
        for (int64_t i = 0; i < n; i += 16) {
            const __mmask16 lanes = i + 16 <= n ? __mmask16{0xffff} : tail;
            const __m512 query = _mm512_maskz_loadu_ps(lanes, x + i);
#pragma GCC unroll 16
            for (int t = 0; t < 16; ++t) {
                if (t >= keys) break;
                const float* row = rows + (first + t) * stride + i;
                products[t] =
                    _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, row), query, products[t]);
            }
        }
        _mm512_mask_storeu_ps(out + first, static_cast<__mmask16>((1u << keys) - 1),
                              fold16(products));
    }
}

}  // namespace

WeightedRowsFn avx512_weighted_rows() {
    return weighted_rows_avx512;
}

RowDotsFn avx512_row_dots() {
    return row_dots_avx512;
}

#else

WeightedRowsFn avx512_weighted_rows() {
    return nullptr;
}

RowDotsFn avx512_row_dots() {
    return nullptr;
}

#endif

}  // namespace assistd
