#include "engine/tensor/exp_kernels.h"

#include <algorithm>
#include <cmath>

#include "engine/tensor/kernels_avx2.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {
namespace {

void scaled_softmax_scalar(float* x, int64_t n, float scale) {
    for (int64_t i = 0; i < n; ++i) x[i] *= scale;
    const float max = *std::max_element(x, x + n);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - max);
        sum += x[i];
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void swiglu_scalar(float* gate, const float* up, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i];
    }
}

#if defined(__x86_64__)
#define ASSISTD_AVX2 __attribute__((target("avx2,fma")))

// exp(x) = 2^k * exp(r) with k = round(x / ln 2) and r = x - k ln 2 (ln 2 split in two so r keeps
// its low bits), |r| <= ln 2 / 2, exp(r) by its Taylor series to r^6 (error ~1e-7 relative).
// Inputs are clamped so 2^k stays a normal float.
ASSISTD_AVX2 __m256 exp8(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.0f));
    const __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.0f / 720);
    for (const float c : {1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f})
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
    const __m256i two_k =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(two_k));
}

// Lanes 0 .. left - 1 of eight: the tail of a row goes through the same code as the rest.
ASSISTD_AVX2 __m256i first_lanes(int64_t left) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(std::min<int64_t>(left, 8))),
                              lane);
}

ASSISTD_AVX2 float horizontal_max(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

ASSISTD_AVX2 void scaled_softmax_avx2(float* x, int64_t n, float scale) {
    const __m256 s = _mm256_set1_ps(scale);
    __m256 max = _mm256_set1_ps(-INFINITY);
    for (int64_t i = 0; i < n; i += 8) {
        const __m256i mask = first_lanes(n - i);
        const __m256 v = _mm256_mul_ps(_mm256_maskload_ps(x + i, mask), s);
        _mm256_maskstore_ps(x + i, mask, v);
        max = _mm256_max_ps(
            max, _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), v, _mm256_castsi256_ps(mask)));
    }
    const __m256 top = _mm256_set1_ps(horizontal_max(max));
    __m256 sum = _mm256_setzero_ps();
    for (int64_t i = 0; i < n; i += 8) {
        const __m256i mask = first_lanes(n - i);
        const __m256 e = _mm256_and_ps(exp8(_mm256_sub_ps(_mm256_maskload_ps(x + i, mask), top)),
                                       _mm256_castsi256_ps(mask));
        _mm256_maskstore_ps(x + i, mask, e);
        sum = _mm256_add_ps(sum, e);
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, sum);
    double total = 0.0;
    for (float lane : lanes) total += lane;
    const __m256 inv = _mm256_set1_ps(static_cast<float>(1.0 / total));
    for (int64_t i = 0; i < n; i += 8) {
        const __m256i mask = first_lanes(n - i);
        _mm256_maskstore_ps(x + i, mask, _mm256_mul_ps(_mm256_maskload_ps(x + i, mask), inv));
    }
}

ASSISTD_AVX2 void swiglu_avx2(float* gate, const float* up, int64_t n) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int64_t i = 0; i < n; i += 8) {
        const __m256i mask = first_lanes(n - i);
        const __m256 g = _mm256_maskload_ps(gate + i, mask);
        const __m256 silu =
            _mm256_div_ps(g, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), g))));
        _mm256_maskstore_ps(gate + i, mask, _mm256_mul_ps(silu, _mm256_maskload_ps(up + i, mask)));
    }
}
#endif

bool use_avx2() {
    static const bool avx2 = cpu_has_avx2();
    return avx2;
}

}  // namespace

void scaled_softmax(float* x, int64_t n, float scale) {
#if defined(__x86_64__)
    if (use_avx2()) return scaled_softmax_avx2(x, n, scale);
#endif
    scaled_softmax_scalar(x, n, scale);
}

void swiglu(float* gate, const float* up, int64_t n) {
#if defined(__x86_64__)
    if (use_avx2()) return swiglu_avx2(gate, up, n);
#endif
    swiglu_scalar(gate, up, n);
}

}  // namespace assistd
