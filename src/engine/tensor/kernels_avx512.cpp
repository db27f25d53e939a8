#include "engine/tensor/kernels_avx512.h"

#include <cstring>

#include "engine/tensor/block_format.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// GCC 12's AVX-512 intrinsics fill unused result lanes from _mm512_undefined_*(), which its own
// -Wuninitialized then reports at every inlined call site; the lanes are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace assistd {

#if defined(__x86_64__)
#define ASSISTD_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace {

constexpr size_t kQ8_0Bytes = 34;
constexpr size_t kQ8_0Values = 2;  // byte offset of qs in a Q8_0 block

ASSISTD_AVX512 float half_at(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return _cvtsh_ss(h);
}

ASSISTD_AVX512 __m256i load32(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Block `b`'s codes as 32 bytes, value j in byte j: Q8_0 signed, Q4_0 unsigned (zero point 8 kept).
template <int kBits>
ASSISTD_AVX512 __m256i codes_of(const uint8_t* row, int64_t b) {
    constexpr BlockFormat kFormat{kBits, false};
    const uint8_t* qs = row + b * kFormat.block_bytes() + kFormat.qs_offset();
    if constexpr (kBits == 8) {
        return load32(qs);
    } else {
        const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
        return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed),
                                _mm256_set1_epi8(0x0f));
    }
}

ASSISTD_AVX512 __m512i pair(__m256i low, __m256i high) {
    return _mm512_inserti64x4(_mm512_zextsi256_si512(low), high, 1);
}

// int32 sums of 4 products each: w signed (Q8_0) or unsigned with zero point 8 (Q4_0), a signed.
template <int kBits>
ASSISTD_AVX512 __m512i dot_codes(__m512i w, __m512i a) {
    const __m512i zero = _mm512_setzero_si512();
    if constexpr (kBits == 8) {
        // vpdpbusd wants an unsigned operand: take |w| and move w's sign onto a.
        const __mmask64 negative = _mm512_movepi8_mask(w);
        const __m512i signed_a = _mm512_mask_sub_epi8(a, negative, zero, a);
        return _mm512_dpbusd_epi32(zero, _mm512_abs_epi8(w), signed_a);
    } else {
        const __m512i products = _mm512_dpbusd_epi32(zero, w, a);
        return _mm512_sub_epi32(products, _mm512_dpbusd_epi32(zero, _mm512_set1_epi8(8), a));
    }
}

template <int kBits>
ASSISTD_AVX512 float dot_blocks_vnni(const void* row, const void* activation, int64_t n) {
    constexpr BlockFormat kFormat{kBits, false};
    const auto* w = static_cast<const uint8_t*>(row);
    const auto* a = static_cast<const uint8_t*>(activation);
    const int64_t blocks = n / kBlockValues;
    __m512 acc = _mm512_setzero_ps();
    int64_t b = 0;
    for (; b + 1 < blocks; b += 2) {
        const uint8_t* a0 = a + b * kQ8_0Bytes;
        const uint8_t* a1 = a0 + kQ8_0Bytes;
        const __m512i codes = pair(codes_of<kBits>(w, b), codes_of<kBits>(w, b + 1));
        const __m512i act = pair(load32(a0 + kQ8_0Values), load32(a1 + kQ8_0Values));
        const __m512i sums = dot_codes<kBits>(codes, act);
        const float s0 = half_at(w + b * kFormat.block_bytes()) * half_at(a0);
        const float s1 = half_at(w + (b + 1) * kFormat.block_bytes()) * half_at(a1);
        const __m512 scale = _mm512_mask_blend_ps(0xff00, _mm512_set1_ps(s0), _mm512_set1_ps(s1));
        acc = _mm512_fmadd_ps(scale, _mm512_cvtepi32_ps(sums), acc);
    }
    float sum = _mm512_reduce_add_ps(acc);
    if (b < blocks) {  // an odd last block, in the low half of a register
        const uint8_t* ab = a + b * kQ8_0Bytes;
        const __m512i sums = dot_codes<kBits>(_mm512_zextsi256_si512(codes_of<kBits>(w, b)),
                                              _mm512_zextsi256_si512(load32(ab + kQ8_0Values)));
        const __m256i low = _mm512_castsi512_si256(sums);
        const float scale = half_at(w + b * kFormat.block_bytes()) * half_at(ab);
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(low), _mm256_extracti128_si256(low, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
        sum += scale * static_cast<float>(_mm_cvtsi128_si32(s));
    }
    return sum;
}

}  // namespace

QuantDotFn avx512_quant_dot_function(DType weight) {
    switch (weight) {
        case DType::Q4_0:
            return dot_blocks_vnni<4>;
        case DType::Q8_0:
            return dot_blocks_vnni<8>;
        default:
            return nullptr;
    }
}

#else

QuantDotFn avx512_quant_dot_function(DType) {
    return nullptr;
}

#endif

}  // namespace assistd
