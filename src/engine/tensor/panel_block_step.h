// The float step every x86 panel kernel takes after a block's exact integer dots (see
// panel_format.h): one definition, so the VNNI and AMX kernels cannot drift apart by an operation.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#define ASSISTD_PANEL_AVX512 \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace assistd::panel_step {

// The activation row's scale and code sum of block b (n values per row).
struct BlockTerms {
    float scale;
    int32_t sum;
};

inline BlockTerms block_terms(const uint8_t* activation, int64_t n, int64_t blocks, int64_t b) {
    BlockTerms t;
    std::memcpy(&t.scale, activation + n + b * 4, sizeof t.scale);
    std::memcpy(&t.sum, activation + n + (blocks + b) * 4, sizeof t.sum);
    return t;
}

// acc = fma(float(dots - zero * sum_a), d_w * d_a, acc), lane r for weight row r of the panel.
ASSISTD_PANEL_AVX512 inline __m512 accumulate(__m512 acc, __m512i dots, __m512 weight_scales,
                                              BlockTerms a, int32_t zero_point) {
    const __m512i exact = _mm512_sub_epi32(dots, _mm512_set1_epi32(zero_point * a.sum));
    const __m512 scale = _mm512_mul_ps(weight_scales, _mm512_set1_ps(a.scale));
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(exact), scale, acc);
}

// The 16 rows' f16 scales of a block record as floats.
ASSISTD_PANEL_AVX512 inline __m512 weight_scales(const uint8_t* record) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(record)));
}

}  // namespace assistd::panel_step

#endif
