#include "engine/tensor/kernels_avx512.h"

#include <cstring>

#include "engine/tensor/block_format.h"
#include "engine/tensor/k_block_format.h"

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
constexpr size_t kQ8KBytes = 292;

// Shuffle-port work is what limits these loops (one port on these cores), so the code avoids it:
// inserts take their second operand from memory, and the f16 scales of four blocks are widened
// with one vcvtph2ps instead of one per block.

uint16_t u16_at(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return h;
}

// The f16 at p, p + stride, p + 2 * stride and p + 3 * stride as four floats.
ASSISTD_AVX512 __m128 four_halves(const uint8_t* p, size_t stride) {
    const uint64_t packed = uint64_t{u16_at(p)} | (uint64_t{u16_at(p + stride)} << 16) |
                            (uint64_t{u16_at(p + 2 * stride)} << 32) |
                            (uint64_t{u16_at(p + 3 * stride)} << 48);
    return _mm_cvtph_ps(_mm_cvtsi64_si128(static_cast<long long>(packed)));
}

ASSISTD_AVX512 __m128i load16(const uint8_t* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

ASSISTD_AVX512 __m256i load32(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Blocks b and b + 1 as 64 bytes, value j of block b + k in byte 32k + j: Q8_0 codes signed,
// Q4_0 codes unsigned (zero point 8 not yet removed).
template <int kBits>
ASSISTD_AVX512 __m512i two_blocks_codes(const uint8_t* row, int64_t b) {
    constexpr BlockFormat kFormat{kBits, false};
    const uint8_t* qs0 = row + b * kFormat.block_bytes() + kFormat.qs_offset();
    const uint8_t* qs1 = qs0 + kFormat.block_bytes();
    if constexpr (kBits == 8) {
        return _mm512_inserti64x4(_mm512_castsi256_si512(load32(qs0)), load32(qs1), 1);
    } else {
        // [qs0, qs0, qs1, qs1] with the second copy of each shifted: low nibbles are values
        // 0-15, high nibbles 16-31.
        __m512i q = _mm512_castsi128_si512(load16(qs0));
        q = _mm512_inserti32x4(q, load16(qs0), 1);
        q = _mm512_inserti32x4(q, load16(qs1), 2);
        q = _mm512_inserti32x4(q, load16(qs1), 3);
        q = _mm512_mask_srli_epi16(q, 0xff00ff00, q, 4);
        return _mm512_and_si512(q, _mm512_set1_epi8(0x0f));
    }
}

// One block's codes in the low 32 bytes, for the tail of a row: reads nothing past the block.
template <int kBits>
ASSISTD_AVX512 __m512i one_block_codes(const uint8_t* row, int64_t b) {
    constexpr BlockFormat kFormat{kBits, false};
    const uint8_t* qs = row + b * kFormat.block_bytes() + kFormat.qs_offset();
    if constexpr (kBits == 8) {
        return _mm512_zextsi256_si512(load32(qs));
    } else {
        const __m128i packed = load16(qs);
        return _mm512_zextsi256_si512(_mm256_and_si256(
            _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0f)));
    }
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
    // Lane i of a pair's scale vector takes block i / 8 of the four scales (0, 1) or (2, 3).
    const __m512i first_pair = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i second_pair = _mm512_add_epi32(first_pair, _mm512_set1_epi32(2));
    __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    int64_t b = 0;
    for (; b + 3 < blocks; b += 4) {
        const uint8_t* ab = a + b * kQ8_0Bytes;
        const __m128 scales =
            _mm_mul_ps(four_halves(w + b * kFormat.block_bytes(), kFormat.block_bytes()),
                       four_halves(ab, kQ8_0Bytes));
        const __m512 wide = _mm512_castps128_ps512(scales);
        for (int pair = 0; pair < 2; ++pair) {
            const uint8_t* a0 = ab + 2 * pair * kQ8_0Bytes + kQ8_0Values;
            const __m512i act =
                _mm512_inserti64x4(_mm512_castsi256_si512(load32(a0)), load32(a0 + kQ8_0Bytes), 1);
            const __m512i sums = dot_codes<kBits>(two_blocks_codes<kBits>(w, b + 2 * pair), act);
            const __m512 scale = _mm512_permutexvar_ps(pair == 0 ? first_pair : second_pair, wide);
            acc[pair] = _mm512_fmadd_ps(scale, _mm512_cvtepi32_ps(sums), acc[pair]);
        }
    }
    float sum = _mm512_reduce_add_ps(_mm512_add_ps(acc[0], acc[1]));
    for (; b < blocks; ++b) {  // the last 1 to 3 blocks, one at a time in the low half
        const uint8_t* wb = w + b * kFormat.block_bytes();
        const uint8_t* ab = a + b * kQ8_0Bytes;
        const __m512i sums = dot_codes<kBits>(one_block_codes<kBits>(w, b),
                                              _mm512_zextsi256_si512(load32(ab + kQ8_0Values)));
        const float scale = _cvtsh_ss(u16_at(wb)) * _cvtsh_ss(u16_at(ab));
        sum += scale * static_cast<float>(_mm512_reduce_add_epi32(sums));
    }
    return sum;
}

// Q4_K's 12 scale bytes as two words of four 6-bit scales each, and two of four mins (see
// k_block_format.h: scales 0-3 and mins 0-3 sit in the low 6 bits of bytes 0-7; 4-7 take their
// low nibbles from bytes 8-11 and their top 2 bits from the top of bytes 0-7).
void six_bit_scales_as_words(const uint8_t* packed, uint32_t scales[2], uint32_t mins[2]) {
    uint32_t word[3];
    std::memcpy(word, packed, sizeof word);
    constexpr uint32_t kLow6 = 0x3f3f3f3f, kLow4 = 0x0f0f0f0f, kLow2 = 0x03030303;
    scales[0] = word[0] & kLow6;
    mins[0] = word[1] & kLow6;
    scales[1] = (word[2] & kLow4) | (((word[0] >> 6) & kLow2) << 4);
    mins[1] = ((word[2] >> 4) & kLow4) | (((word[1] >> 6) & kLow2) << 4);
}

// Q4_K: each 64-value chunk is one 32-byte load broadcast to both halves of a register, the
// upper half shifted to its high nibbles, so one vpdpbusd covers two sub-blocks against 64
// contiguous activation bytes. Scales apply in int32; the mins come in through Q8_K's bsums.
ASSISTD_AVX512 float dot_q4_k_vnni(const void* row, const void* activation, int64_t n) {
    const auto* w = static_cast<const uint8_t*>(row);
    const auto* a = static_cast<const uint8_t*>(activation);
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    __m512 acc = _mm512_setzero_ps();
    __m256 acc_min = _mm256_setzero_ps();
    for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
        const uint8_t* wb = w + b * 144;
        const uint8_t* ab = a + b * kQ8KBytes;
        uint32_t scale_words[2], min_words[2];
        six_bit_scales_as_words(wb + 4, scale_words, min_words);
        const __m512i scales = _mm512_cvtepu8_epi32(_mm_cvtsi64_si128(
            static_cast<long long>(uint64_t{scale_words[0]} | (uint64_t{scale_words[1]} << 32))));
        const __m256i mins = _mm256_cvtepu8_epi16(_mm_cvtsi64_si128(
            static_cast<long long>(uint64_t{min_words[0]} | (uint64_t{min_words[1]} << 32))));
        float d_act;
        std::memcpy(&d_act, ab, sizeof d_act);

        // bsums pair up per 32-value sub-block: sum_s min[s] * (bsums[2s] + bsums[2s + 1]).
        const __m256i bsums = load32(ab + 4 + kSuperBlockValues);
        const __m256i pair_sums = _mm256_madd_epi16(bsums, _mm256_set1_epi16(1));  // 8 x int32
        const __m256i min_dot =
            _mm256_mullo_epi32(pair_sums, _mm256_cvtepu16_epi32(_mm256_castsi256_si128(mins)));
        acc_min = _mm256_fmadd_ps(_mm256_set1_ps(d_act * _cvtsh_ss(u16_at(wb + 2))),
                                  _mm256_cvtepi32_ps(min_dot), acc_min);

        __m512i sums = _mm512_setzero_si512();
        for (int c = 0; c < 4; ++c) {
            __m512i codes = _mm512_broadcast_i64x4(load32(wb + 16 + 32 * c));
            codes = _mm512_and_si512(_mm512_mask_srli_epi16(codes, 0xffff0000, codes, 4), nibble);
            const __m512i act = _mm512_loadu_si512(ab + 4 + 64 * c);
            const __m512i products = _mm512_dpbusd_epi32(_mm512_setzero_si512(), codes, act);
            const __m512i chunk_scales = _mm512_permutexvar_epi32(
                _mm512_set_epi32(2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1,
                                 2 * c + 1, 2 * c + 1, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c,
                                 2 * c, 2 * c),
                scales);
            sums = _mm512_add_epi32(sums, _mm512_mullo_epi32(products, chunk_scales));
        }
        acc = _mm512_fmadd_ps(_mm512_set1_ps(d_act * _cvtsh_ss(u16_at(wb))),
                              _mm512_cvtepi32_ps(sums), acc);
    }
    const __m256 m = acc_min;
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    s = _mm_hadd_ps(s, s);
    s = _mm_hadd_ps(s, s);
    return _mm512_reduce_add_ps(acc) - _mm_cvtss_f32(s);
}

}  // namespace

QuantDotFn avx512_quant_dot_function(DType weight) {
    switch (weight) {
        case DType::Q4_0:
            return dot_blocks_vnni<4>;
        case DType::Q8_0:
            return dot_blocks_vnni<8>;
        case DType::Q4_K:
            return dot_q4_k_vnni;
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
