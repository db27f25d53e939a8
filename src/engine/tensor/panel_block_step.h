// The float step every x86 panel kernel takes after a block's exact integer dots (see
// panel_format.h): one definition, so the VNNI and AMX kernels cannot drift apart by an operation.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "engine/tensor/dtype.h"
#include "engine/tensor/panel_format.h"

#define ASSISTD_PANEL_AVX512 \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace assistd::panel_step {

inline constexpr int kGroups = kPanelGroups;
inline constexpr size_t kGroupBytes = kPanelGroupBytes;

// A block record's codes (from its codes offset) as eight vectors of unsigned codes, vector q
// holding group q of all 16 rows: bytes as stored (Q8_0), or nibbles (groups 4..7 in the high
// nibbles of groups 0..3) plus, for Q5_0 and Q6_K, planes whose byte i has bit 4 (then 5) of
// group q's byte i at bit q.
template <DType kType>
ASSISTD_PANEL_AVX512 inline void unpack_codes(const uint8_t* codes, __m512i out[kGroups]) {
    // Unrolled, so the eight vectors stay in registers (a loop kept them on the stack).
    if constexpr (kType == DType::Q8_0) {
#pragma GCC unroll 8
        for (int q = 0; q < kGroups; ++q) out[q] = _mm512_loadu_si512(codes + q * kGroupBytes);
    } else {
        const __m512i nibble = _mm512_set1_epi8(0x0f);
#pragma GCC unroll 4
        for (int q = 0; q < kGroups / 2; ++q) {
            const __m512i both = _mm512_loadu_si512(codes + q * kGroupBytes);
            out[q] = _mm512_and_si512(both, nibble);
            out[q + 4] = _mm512_and_si512(_mm512_srli_epi16(both, 4), nibble);
        }
        constexpr int kPlanes = panel_planes(kType);
#pragma GCC unroll 2
        for (int plane = 0; plane < kPlanes; ++plane) {
            const __m512i bits = _mm512_loadu_si512(codes + (kGroups / 2 + plane) * kGroupBytes);
            const __m512i value = _mm512_set1_epi8(static_cast<char>(16 << plane));
#pragma GCC unroll 8
            for (int q = 0; q < kGroups; ++q) {
                const __mmask64 set =
                    _mm512_test_epi8_mask(bits, _mm512_set1_epi8(static_cast<char>(1 << q)));
                out[q] = _mm512_mask_add_epi8(out[q], set, out[q], value);
            }
        }
    }
}

// The exact dots of block b once the codes' zero point is taken off: dots - zero * sum_a.
ASSISTD_PANEL_AVX512 inline __m512i without_zero_point(__m512i dots, int32_t activation_sum,
                                                       int32_t zero_point) {
    return _mm512_sub_epi32(dots, _mm512_set1_epi32(zero_point * activation_sum));
}

// acc = fma(float(exact), d_w * d_a, acc), lane r for weight row r of the panel.
ASSISTD_PANEL_AVX512 inline __m512 accumulate(__m512 acc, __m512i exact, __m512 weight_scales,
                                              float activation_scale) {
    const __m512 scale = _mm512_mul_ps(weight_scales, _mm512_set1_ps(activation_scale));
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(exact), scale, acc);
}

// The minimum term: acc = fma(m_w, -(d_a * float(sum_a)), acc).
ASSISTD_PANEL_AVX512 inline __m512 subtract_minimums(__m512 acc, __m512 weight_minimums,
                                                     float activation_scale,
                                                     int32_t activation_sum) {
    const float term = -(activation_scale * static_cast<float>(activation_sum));
    return _mm512_fmadd_ps(weight_minimums, _mm512_set1_ps(term), acc);
}

// The 16 rows' factors of a block of a panel (`record` its record, `header` its super-block's): the
// weight scales d_w, and the second floats (minimum terms m_w; Q6_K's second-half scales).
struct BlockFactors {
    __m512 scales;
    __m512 second;
};

// 16 f16 values as floats.
ASSISTD_PANEL_AVX512 inline __m512 f16_floats(const uint8_t* halves) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(halves)));
}

// 16 int8 factors as floats.
ASSISTD_PANEL_AVX512 inline __m512 int8_floats(const uint8_t* bytes) {
    const __m128i factors = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(factors));
}

// f16 scales (and Q4_1's and Q5_1's negated minimums) as stored, or a K-quant super-block's d (dmin
// for the minimums) times the record's int8 factors: the products the float path takes, exactly.
template <DType kType>
ASSISTD_PANEL_AVX512 inline BlockFactors block_factors(const uint8_t* header,
                                                       const uint8_t* record) {
    if constexpr (panel_header_bytes(kType) == 0) {
        const __m512 scales = f16_floats(record);
        if constexpr (panel_has_min(kType)) return {scales, f16_floats(record + 2 * kPanelRows)};
        return {scales, _mm512_setzero_ps()};
    } else {
        const auto* floats = reinterpret_cast<const float*>(header);
        const __m512 d = _mm512_loadu_ps(floats);
        const __m512 d_second = panel_has_min(kType) ? _mm512_loadu_ps(floats + kPanelRows) : d;
        return {_mm512_mul_ps(d, int8_floats(record)),
                _mm512_mul_ps(d_second, int8_floats(record + kPanelRows))};
    }
}

}  // namespace assistd::panel_step

#endif
