#include "engine/tensor/kernels_avx512.h"

#include <cmath>
#include <cstring>

#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/block_format.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/many_rows.h"
#include "engine/tensor/weight_prefetch.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

#if defined(__x86_64__)
#define ASSISTD_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace {

constexpr size_t kQ8KBytes = 292;

// Shuffle-port work is what limits these loops (one port on these cores), so the code avoids it:
// broadcasts and inserts take their operand from memory, and the f16 scales of four blocks are
// gathered with one word permute and widened with one vcvtph2ps.

uint16_t u16_at(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return h;
}

// The f16 at p, p + kStride, p + 2 * kStride and p + 3 * kStride as four floats, from the four
// blocks of kStride bytes at p: reads their first 64 bytes, and the rest up to the last f16
// under a mask (which keeps it from touching memory past them).
template <size_t kStride>
ASSISTD_AVX512 __m128 four_halves(const uint8_t* p) {
    static_assert(kStride % 2 == 0 && 4 * kStride >= 64 && 3 * kStride + 2 <= 128);
    constexpr short kWord = kStride / 2;
    const __m512i index =
        _mm512_castsi128_si512(_mm_setr_epi16(0, kWord, 2 * kWord, 3 * kWord, 0, 0, 0, 0));
    const __m512i first = _mm512_loadu_si512(p);
    constexpr size_t kRestWords = 3 * kStride + 2 > 64 ? (3 * kStride + 2 - 64) / 2 : 0;
    const __m512i rest =
        _mm512_maskz_loadu_epi16(static_cast<__mmask32>((uint64_t{1} << kRestWords) - 1), p + 64);
    return _mm_cvtph_ps(_mm512_castsi512_si128(_mm512_permutex2var_epi16(first, index, rest)));
}

ASSISTD_AVX512 __m128i load16(const uint8_t* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

ASSISTD_AVX512 __m256i load32(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Q5_0's fifth bits, one per value, as the mask of the bytes they go to.
uint32_t fifth_bits(const uint8_t* block) {
    constexpr BlockFormat kFormat{5, false};
    uint32_t qh;
    std::memcpy(&qh, block + kFormat.qh_offset(), sizeof qh);
    return qh;
}

// 64 (or 32) 4-bit codes with their zero point removed: Q4_0's 8, Q5_0's 16 where the fifth bit
// is clear (where it is set, the code is the nibble itself).
template <int kBits>
ASSISTD_AVX512 __m512i without_zero_point(__m512i nibbles, __mmask64 fifth) {
    if constexpr (kBits == 5)
        return _mm512_mask_sub_epi8(nibbles, static_cast<__mmask64>(~fifth), nibbles,
                                    _mm512_set1_epi8(16));
    return _mm512_sub_epi8(nibbles, _mm512_set1_epi8(8));
}

// Blocks b and b + 1 as 64 signed codes, value j of block b + k in byte 32k + j.
template <int kBits>
ASSISTD_AVX512 __m512i two_blocks_codes(const uint8_t* row, int64_t b) {
    constexpr BlockFormat kFormat{kBits, false};
    const uint8_t* block0 = row + b * kFormat.block_bytes();
    const uint8_t* qs0 = block0 + kFormat.qs_offset();
    const uint8_t* qs1 = qs0 + kFormat.block_bytes();
    if constexpr (kBits == 8) {
        return _mm512_inserti64x4(_mm512_castsi256_si512(load32(qs0)), load32(qs1), 1);
    } else {
        // [qs0, qs0, qs1, qs1] with the second copy of each shifted: low nibbles are values
        // 0-15, high nibbles 16-31.
        __m512i q = _mm512_broadcast_i32x4(load16(qs0));
        q = _mm512_mask_broadcast_i32x4(q, 0xff00, load16(qs1));
        q = _mm512_mask_srli_epi16(q, 0xff00ff00, q, 4);
        q = _mm512_and_si512(q, _mm512_set1_epi8(0x0f));
        __mmask64 fifth = 0;
        if constexpr (kBits == 5) {
            fifth = uint64_t{fifth_bits(block0)} |
                    (uint64_t{fifth_bits(block0 + kFormat.block_bytes())} << 32);
        }
        return without_zero_point<kBits>(q, fifth);
    }
}

// One block's signed codes in the low 32 bytes, for the tail of a row: reads nothing past the
// block. The high half is zero, codes included: OffsetLayout's offset counts every lane.
template <int kBits>
ASSISTD_AVX512 __m512i one_block_codes(const uint8_t* row, int64_t b) {
    constexpr BlockFormat kFormat{kBits, false};
    const uint8_t* block = row + b * kFormat.block_bytes();
    const uint8_t* qs = block + kFormat.qs_offset();
    if constexpr (kBits == 8) {
        return _mm512_zextsi256_si512(load32(qs));
    } else {
        const __m128i packed = load16(qs);
        const __m512i q = _mm512_zextsi256_si512(_mm256_and_si256(
            _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0f)));
        __mmask64 fifth = 0;
        if constexpr (kBits == 5) fifth = fifth_bits(block);
        return _mm512_zextsi256_si512(_mm512_castsi512_si256(without_zero_point<kBits>(q, fifth)));
    }
}

// How a block kernel reads its activations and multiplies them with the weights' codes.
// vpdpbusd multiplies unsigned by signed bytes, so one side must be made unsigned; each layout
// does that where it costs least. Both give the same exact int32 sums and the same scales, so a
// row's result is bit for bit the same in either layout.
//
// Q8_0Layout: activations as quantize_activation() writes them, blocks of {f16 d; int8 qs[32]}.
// The weights give their magnitudes and their signs move onto each activation.
struct Q8_0Layout {
    static constexpr size_t kBlockBytes = 34;
    static constexpr size_t kCodes = 2;  // byte offset of qs in a block

    struct Weights {
        __m512i magnitude;
        __mmask64 negative;
    };

    ASSISTD_AVX512 static Weights weights(__m512i codes) {
        return {_mm512_abs_epi8(codes), _mm512_movepi8_mask(codes)};
    }
    // int32 sums of 4 products each.
    ASSISTD_AVX512 static __m512i dot(const Weights& w, __m512i a) {
        const __m512i zero = _mm512_setzero_si512();
        return _mm512_dpbusd_epi32(zero, w.magnitude, _mm512_mask_sub_epi8(a, w.negative, zero, a));
    }
    ASSISTD_AVX512 static __m128 four_scales(const uint8_t* a, int64_t, int64_t b) {
        return four_halves<kBlockBytes>(a + b * kBlockBytes);
    }
    ASSISTD_AVX512 static float scale(const uint8_t* a, int64_t, int64_t b) {
        return _cvtsh_ss(u16_at(a + b * kBlockBytes));
    }
    ASSISTD_AVX512 static __m512i two_blocks(const uint8_t* a, int64_t b) {
        const uint8_t* a0 = a + b * kBlockBytes + kCodes;
        return _mm512_inserti64x4(_mm512_castsi256_si512(load32(a0)), load32(a0 + kBlockBytes), 1);
    }
    ASSISTD_AVX512 static __m512i one_block(const uint8_t* a, int64_t b) {
        return _mm512_zextsi256_si512(load32(a + b * kBlockBytes + kCodes));
    }
};

// OffsetLayout: a row of n values as its n codes shifted by +128 into unsigned bytes, then its
// n / 32 scales as floats (see pack_offset_activations). A product then needs no work per
// activation: sum((a + 128) * w) = sum(a * w) + 128 * sum(w), and the second term is taken off
// once per weight block.
struct OffsetLayout {
    struct Weights {
        __m512i codes;
        __m512i offset;  // -128 * the sum of each 4 codes: where each lane's sum starts
    };

    static size_t row_bytes(int64_t n) {
        return static_cast<size_t>(n) + static_cast<size_t>(n / kBlockValues) * sizeof(float);
    }
    // From quantize_activation()'s Q8_0 row; flipping the top bit adds 128 to an int8.
    ASSISTD_AVX512 static void pack(const void* quantized, void* packed, int64_t n) {
        const auto* q = static_cast<const uint8_t*>(quantized);
        auto* codes = static_cast<uint8_t*>(packed);
        auto* scales = reinterpret_cast<float*>(codes + n);
        const __m256i top_bit = _mm256_set1_epi8(static_cast<char>(0x80));
        for (int64_t b = 0; b < n / kBlockValues; ++b) {
            const uint8_t* block = q + b * Q8_0Layout::kBlockBytes;
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(codes + b * kBlockValues),
                                _mm256_xor_si256(load32(block + Q8_0Layout::kCodes), top_bit));
            const float d = _cvtsh_ss(u16_at(block));
            std::memcpy(scales + b, &d, sizeof d);
        }
    }
    ASSISTD_AVX512 static Weights weights(__m512i codes) {
        const __m512i zero = _mm512_setzero_si512();
        return {codes,
                _mm512_sub_epi32(zero, _mm512_dpbusd_epi32(zero, _mm512_set1_epi8(-128), codes))};
    }
    ASSISTD_AVX512 static __m512i dot(const Weights& w, __m512i a) {
        return _mm512_dpbusd_epi32(w.offset, a, w.codes);
    }
    ASSISTD_AVX512 static __m128 four_scales(const uint8_t* a, int64_t n, int64_t b) {
        return _mm_loadu_ps(reinterpret_cast<const float*>(a + n) + b);
    }
    ASSISTD_AVX512 static float scale(const uint8_t* a, int64_t n, int64_t b) {
        float d;
        std::memcpy(&d, a + n + b * sizeof(float), sizeof d);
        return d;
    }
    ASSISTD_AVX512 static __m512i two_blocks(const uint8_t* a, int64_t b) {
        return _mm512_loadu_si512(a + b * kBlockValues);
    }
    ASSISTD_AVX512 static __m512i one_block(const uint8_t* a, int64_t b) {
        return _mm512_zextsi256_si512(load32(a + b * kBlockValues));
    }
};

// The dot of one weight row with kCount activation rows `stride` bytes apart, into
// out[j * out_stride]. The weight blocks are unpacked once for all kCount rows, and every row
// goes through the same operations in the same order whatever kCount is, so a row's result never
// depends on the rows it was batched with.
template <int kBits, class Layout, int kCount>
ASSISTD_AVX512 void dot_blocks_vnni_rows(const uint8_t* w, const uint8_t* a, size_t stride,
                                         int64_t n, float* out, size_t out_stride) {
    constexpr BlockFormat kFormat{kBits, false};
    const int64_t blocks = n / kBlockValues;
    // Lane i of a pair's scale vector takes block i / 8 of the four scales (0, 1) or (2, 3).
    const __m512i first_pair = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i second_pair = _mm512_add_epi32(first_pair, _mm512_set1_epi32(2));
    __m512 acc[kCount][2];
    for (int j = 0; j < kCount; ++j) acc[j][0] = acc[j][1] = _mm512_setzero_ps();
    int64_t b = 0;
    for (; b + 3 < blocks; b += 4) {
        prefetch_ahead<4 * kFormat.block_bytes()>(w + b * kFormat.block_bytes());
        const __m128 w_scales = four_halves<kFormat.block_bytes()>(w + b * kFormat.block_bytes());
        const typename Layout::Weights codes[2] = {
            Layout::weights(two_blocks_codes<kBits>(w, b)),
            Layout::weights(two_blocks_codes<kBits>(w, b + 2))};
// Unrolled, as the row loops below, so each row's accumulators stay in registers.
#pragma GCC unroll 8
        for (int j = 0; j < kCount; ++j) {
            const uint8_t* aj = a + j * stride;
            const __m512 wide =
                _mm512_castps128_ps512(_mm_mul_ps(w_scales, Layout::four_scales(aj, n, b)));
            for (int pair = 0; pair < 2; ++pair) {
                const __m512i sums = Layout::dot(codes[pair], Layout::two_blocks(aj, b + 2 * pair));
                const __m512 scale =
                    _mm512_permutexvar_ps(pair == 0 ? first_pair : second_pair, wide);
                acc[j][pair] = _mm512_fmadd_ps(scale, _mm512_cvtepi32_ps(sums), acc[j][pair]);
            }
        }
    }
    float sum[kCount];
    for (int j = 0; j < kCount; ++j)
        sum[j] = _mm512_reduce_add_ps(_mm512_add_ps(acc[j][0], acc[j][1]));
    for (; b < blocks; ++b) {  // the last 1 to 3 blocks, one at a time in the low half
        const typename Layout::Weights codes = Layout::weights(one_block_codes<kBits>(w, b));
        const float w_scale = _cvtsh_ss(u16_at(w + b * kFormat.block_bytes()));
        for (int j = 0; j < kCount; ++j) {
            const uint8_t* aj = a + j * stride;
            const __m512i sums = Layout::dot(codes, Layout::one_block(aj, b));
            sum[j] = std::fma(w_scale * Layout::scale(aj, n, b),
                              static_cast<float>(_mm512_reduce_add_epi32(sums)), sum[j]);
        }
    }
    for (int j = 0; j < kCount; ++j) out[j * out_stride] = sum[j];
}

// The K-quant kernels below unpack a super-block into four registers of 64 codes, code i of
// register c being value 64c + i, as unsigned bytes, and into one register of int16 sub-block
// scales per code register, lane i (codes 2i and 2i + 1) holding the scale of their sub-block.
// vpmaddubsw then multiplies codes with 64 contiguous activation bytes into int16 pairs (at most
// 2 * 63 * 128, exact) and vpdpwssd scales and accumulates those in int32: two multiplier uops per
// 64 values, where vpdpbusd + vpmulld + vpaddd takes four.

// The scales of code register c, which spans kPerRegister sub-blocks (2 of Q4_K's 32 values, 4 of
// Q6_K's 16), from `scales` (one int16 lane per sub-block, in order): lane i takes the scale of
// sub-block kPerRegister * c + i * kPerRegister / 32.
template <int kPerRegister>
ASSISTD_AVX512 __m512i chunk_scales(__m512i scales, int c) {
    static_assert(kPerRegister == 2 || kPerRegister == 4);
    const __m512i lane =
        _mm512_set_epi16(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13,
                         12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    constexpr int kShift = kPerRegister == 4 ? 3 : 4;  // log2 of the lanes per scale
    const __m512i index = _mm512_add_epi16(
        _mm512_srli_epi16(lane, kShift), _mm512_set1_epi16(static_cast<int16_t>(kPerRegister * c)));
    return _mm512_permutexvar_epi16(index, scales);
}

// start + sum over the four registers of scale * code * activation, in 16 int32 lanes; qs is the
// Q8_K row's 256 codes.
ASSISTD_AVX512 __m512i scaled_super_block(const __m512i codes[4], const __m512i scales[4],
                                          const uint8_t* qs, __m512i start) {
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
        const __m512i pairs = _mm512_maddubs_epi16(codes[c], _mm512_loadu_si512(qs + 64 * c));
        start = _mm512_dpwssd_epi32(start, pairs, scales[c]);
    }
    return start;
}

// Q4_K's 12 scale bytes as 8 six-bit scales in bytes 0-7 and 8 six-bit mins in bytes 8-15 (see
// k_block_format.h: scales 0-3 and mins 0-3 sit in the low 6 bits of bytes 0-7; 4-7 take their
// low nibbles from bytes 8-11 and their top 2 bits from the top of bytes 0-7). Reads 16 bytes:
// the 12 and the first 4 of the codes after them.
ASSISTD_AVX512 __m128i six_bit_scales_and_mins(const uint8_t* packed) {
    const __m128i words = load16(packed);  // dwords w0 w1 w2, then codes
    // [w0, w2, w1, w2 >> 4]: scales 0-3, low nibbles of scales 4-7, mins 0-3, of mins 4-7
    const __m128i low = _mm_srlv_epi32(_mm_shuffle_epi32(words, _MM_SHUFFLE(2, 1, 2, 0)),
                                       _mm_setr_epi32(0, 0, 0, 4));
    // [w0, w0, w1, w1] >> 2: the top 2 bits of each byte at bits 4-5
    const __m128i top = _mm_srli_epi32(_mm_shuffle_epi32(words, _MM_SHUFFLE(1, 1, 0, 0)), 2);
    return _mm_or_si128(
        _mm_and_si128(low, _mm_setr_epi32(0x3f3f3f3f, 0x0f0f0f0f, 0x3f3f3f3f, 0x0f0f0f0f)),
        _mm_and_si128(top, _mm_setr_epi32(0, 0x30303030, 0, 0x30303030)));
}

// Q4_K: register c is one 32-byte load broadcast to both halves, the upper half shifted to its
// high nibbles: sub-block 2c then 2c + 1. The mins come in through Q8_K's bsums, once per
// super-block: sum_s min[s] * (bsums[2s] + bsums[2s + 1]).
template <int kCount>
ASSISTD_AVX512 void dot_q4_k_vnni_rows(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                       float* out, size_t out_stride) {
    constexpr size_t kBlockBytes = 144, kScales = 4, kCodes = 16;
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    __m512 acc[kCount];
    __m256 acc_min[kCount];
    for (int j = 0; j < kCount; ++j) {
        acc[j] = _mm512_setzero_ps();
        acc_min[j] = _mm256_setzero_ps();
    }
    for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
        const uint8_t* wb = w + b * kBlockBytes;
        prefetch_ahead<kBlockBytes>(wb);
        const __m128i scales_and_mins = six_bit_scales_and_mins(wb + kScales);
        // Each min twice, for the two bsums of its sub-block.
        const __m256i mins =
            _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(scales_and_mins, scales_and_mins));
        const __m512i scales16 = _mm512_castsi256_si512(_mm256_cvtepu8_epi16(scales_and_mins));
        const float d = _cvtsh_ss(u16_at(wb));
        const float dmin = _cvtsh_ss(u16_at(wb + 2));
        __m512i codes[4], scales[4];
#pragma GCC unroll 4
        for (int c = 0; c < 4; ++c) {
            codes[c] = _mm512_broadcast_i64x4(load32(wb + kCodes + 32 * c));
            codes[c] =
                _mm512_and_si512(_mm512_mask_srli_epi16(codes[c], 0xffff0000, codes[c], 4), nibble);
            scales[c] = chunk_scales<2>(scales16, c);
        }
#pragma GCC unroll 8
        for (int j = 0; j < kCount; ++j) {
            const uint8_t* ab = a + j * stride + b * kQ8KBytes;
            float d_act;
            std::memcpy(&d_act, ab, sizeof d_act);
            const __m256i min_sums = _mm256_madd_epi16(load32(ab + 4 + kSuperBlockValues), mins);
            acc_min[j] = _mm256_fmadd_ps(_mm256_set1_ps(d_act * dmin), _mm256_cvtepi32_ps(min_sums),
                                         acc_min[j]);
            const __m512i sums = scaled_super_block(codes, scales, ab + 4, _mm512_setzero_si512());
            acc[j] = _mm512_fmadd_ps(_mm512_set1_ps(d_act * d), _mm512_cvtepi32_ps(sums), acc[j]);
        }
    }
    for (int j = 0; j < kCount; ++j) {
        __m128 s =
            _mm_add_ps(_mm256_castps256_ps128(acc_min[j]), _mm256_extractf128_ps(acc_min[j], 1));
        s = _mm_hadd_ps(s, s);
        s = _mm_hadd_ps(s, s);
        out[j * out_stride] = _mm512_reduce_add_ps(acc[j]) - _mm_cvtss_f32(s);
    }
}

// Q6_K: ql (64 bytes per 128-value half) holds values 0-63 of the half in its low nibbles and
// 64-127 in its high nibbles; qh (32 bytes per half) holds the top two bits, value 32k + l at bit
// 2k of byte l. The codes stay unsigned (0-63); their zero point 32 comes off in the same int32
// sums as 32 * sum_s scale[s] * bsums[s].
template <int kCount>
ASSISTD_AVX512 void dot_q6_k_vnni_rows(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                       float* out, size_t out_stride) {
    constexpr size_t kBlockBytes = 210, kHighBits = 128, kScales = 192, kD = 208;
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    const __m512i top_pair = _mm512_set1_epi8(0x30);
    __m512 acc[kCount];
    for (int j = 0; j < kCount; ++j) acc[j] = _mm512_setzero_ps();
    for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
        const uint8_t* wb = w + b * kBlockBytes;
        prefetch_ahead<kBlockBytes>(wb);
        __m512i codes[4];
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m512i low = _mm512_loadu_si512(wb + 64 * half);
            // Values 0-31 of the half (low 32 bytes) take bits 0-1 of qh, values 32-63 bits 2-3:
            // shifted 2 further in the low bytes, one more shift puts both at bits 4-5; for
            // values 64-127 (bits 4-5 and 6-7) one shift the other way does.
            const __m512i high = _mm512_broadcast_i64x4(load32(wb + kHighBits + 32 * half));
            const __m512i staggered = _mm512_mask_slli_epi16(high, 0x0000ffff, high, 2);
            // vpternlogd 0xf8: a | (b & c)
            codes[2 * half] = _mm512_ternarylogic_epi32(
                _mm512_and_si512(low, nibble), _mm512_slli_epi16(staggered, 2), top_pair, 0xf8);
            codes[2 * half + 1] =
                _mm512_ternarylogic_epi32(_mm512_and_si512(_mm512_srli_epi16(low, 4), nibble),
                                          _mm512_srli_epi16(staggered, 2), top_pair, 0xf8);
        }
        const __m256i scales16 = _mm256_cvtepi8_epi16(load16(wb + kScales));
        __m512i scales[4];
#pragma GCC unroll 4
        for (int c = 0; c < 4; ++c)
            scales[c] = chunk_scales<4>(_mm512_castsi256_si512(scales16), c);
        const __m256i zero_point =
            _mm256_slli_epi16(_mm256_sub_epi16(_mm256_setzero_si256(), scales16), 5);
        const float d = _cvtsh_ss(u16_at(wb + kD));
#pragma GCC unroll 8
        for (int j = 0; j < kCount; ++j) {
            const uint8_t* ab = a + j * stride + b * kQ8KBytes;
            float d_act;
            std::memcpy(&d_act, ab, sizeof d_act);
            const __m256i bsums = load32(ab + 4 + kSuperBlockValues);
            const __m512i sums =
                scaled_super_block(codes, scales, ab + 4,
                                   _mm512_zextsi256_si512(_mm256_madd_epi16(bsums, zero_point)));
            acc[j] = _mm512_fmadd_ps(_mm512_set1_ps(d_act * d), _mm512_cvtepi32_ps(sums), acc[j]);
        }
    }
    for (int j = 0; j < kCount; ++j) out[j * out_stride] = _mm512_reduce_add_ps(acc[j]);
}

// A rows kernel as a type, so one template can instantiate it for every count.
template <int kBits, class Layout>
struct BlockRows {
    template <int kCount>
    ASSISTD_AVX512 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                   float* out, size_t out_stride) {
        dot_blocks_vnni_rows<kBits, Layout, kCount>(w, a, stride, n, out, out_stride);
    }
};

struct Q4KRows {
    template <int kCount>
    ASSISTD_AVX512 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                   float* out, size_t out_stride) {
        dot_q4_k_vnni_rows<kCount>(w, a, stride, n, out, out_stride);
    }
};

struct Q6KRows {
    template <int kCount>
    ASSISTD_AVX512 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                   float* out, size_t out_stride) {
        dot_q6_k_vnni_rows<kCount>(w, a, stride, n, out, out_stride);
    }
};

size_t q8_k_row_bytes(int64_t n) {
    return static_cast<size_t>(n / kSuperBlockValues) * kQ8KBytes;
}

// Eight activation rows at a time: 2 accumulators for each in zmm registers, and the weights.
constexpr int kGroup = 8;

}  // namespace

QuantDotFn avx512_quant_dot_function(DType weight) {
    using many_rows::alone;
    switch (weight) {
        case DType::Q4_0:
            return alone<BlockRows<4, Q8_0Layout>>;
        case DType::Q5_0:
            return alone<BlockRows<5, Q8_0Layout>>;
        case DType::Q8_0:
            return alone<BlockRows<8, Q8_0Layout>>;
        case DType::Q4_K:
            return alone<Q4KRows>;
        case DType::Q6_K:
            return alone<Q6KRows>;
        default:
            return nullptr;
    }
}

QuantDotMany avx512_quant_dot_many(DType weight) {
    using many_rows::in_groups;
    switch (weight) {
        case DType::Q4_0:
            return {in_groups<BlockRows<4, OffsetLayout>, kGroup>, OffsetLayout::row_bytes,
                    OffsetLayout::pack};
        case DType::Q5_0:
            return {in_groups<BlockRows<5, OffsetLayout>, kGroup>, OffsetLayout::row_bytes,
                    OffsetLayout::pack};
        case DType::Q8_0:
            return {in_groups<BlockRows<8, OffsetLayout>, kGroup>, OffsetLayout::row_bytes,
                    OffsetLayout::pack};
        case DType::Q4_K:
            return {in_groups<Q4KRows, kGroup>, q8_k_row_bytes, nullptr};
        case DType::Q6_K:
            return {in_groups<Q6KRows, kGroup>, q8_k_row_bytes, nullptr};
        default:
            return {};
    }
}

#else

QuantDotFn avx512_quant_dot_function(DType) {
    return nullptr;
}

QuantDotMany avx512_quant_dot_many(DType) {
    return {};
}

#endif

}  // namespace assistd
