// Integer dot kernels for AVX2: weight codes and 8-bit activation codes multiply as bytes
// (vpmaddubsw, unsigned x signed -> pairs summed to int16), widen to int32 (vpmaddwd) and turn
// into floats once per block (32 values) or per super-block (256 values), where the scales live.
#include <cstring>

#include "engine/tensor/block_format.h"
#include "engine/tensor/half.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/many_rows.h"
#include "engine/tensor/panel_kernels.h"
#include "engine/tensor/weight_prefetch.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

#if defined(__x86_64__)
#define ASSISTD_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace {

constexpr size_t kQ8_0Bytes = 34;
constexpr size_t kQ8_1Bytes = 36;
constexpr size_t kQ8KBytes = 292;

ASSISTD_AVX2 float half_at(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return _cvtsh_ss(h);
}

ASSISTD_AVX2 float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

ASSISTD_AVX2 __m256i load32(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// 8 int32 sums of unsigned bytes u times signed bytes s, each sum over 4 neighbours.
ASSISTD_AVX2 __m256i dot_unsigned_signed(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// Bit j of `bits` as byte j: 0xff where set, 0 where clear.
ASSISTD_AVX2 __m256i bits_to_bytes(uint32_t bits) {
    const __m256i spread =
        _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)),
                            _mm256_setr_epi64x(0x0000000000000000, 0x0101010101010101,
                                               0x0202020202020202, 0x0303030303030303));
    const __m256i select = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select);
}

// A 32-value block's codes as bytes, value j in byte j; signed (zero point removed) for the
// symmetric formats, unsigned 0..2^bits-1 for the "_1" formats.
template <int kBits, bool kHasMin>
ASSISTD_AVX2 __m256i block_codes(const uint8_t* block) {
    constexpr BlockFormat kFormat{kBits, kHasMin};
    const uint8_t* qs = block + kFormat.qs_offset();
    if constexpr (kBits == 8) return load32(qs);
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    __m256i codes = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed),
                                     _mm256_set1_epi8(0x0f));
    if constexpr (kBits == 5) {
        uint32_t qh;
        std::memcpy(&qh, block + kFormat.qh_offset(), sizeof qh);
        codes = _mm256_or_si256(codes, _mm256_and_si256(bits_to_bytes(qh), _mm256_set1_epi8(0x10)));
    }
    if constexpr (!kHasMin) codes = _mm256_sub_epi8(codes, _mm256_set1_epi8(kFormat.zero_point()));
    return codes;
}

// Each kernel below is a type whose run<kCount> multiplies one weight row with kCount activation
// rows, for many_rows::in_groups and many_rows::alone.

// The dot of one weight row of a symmetric format (Q4_0, Q5_0, Q8_0) with kCount Q8_0 activation
// rows `stride` bytes apart, into out[j * out_stride]. Each weight block is unpacked once for all
// kCount rows (its codes, their absolute values for the sign trick, its scale); every row then
// goes through the operations of the one-row kernel in the same order, two independent FMA chains
// hiding each other's latency, so a row's result never depends on the rows batched with it.
template <int kBits>
struct SymmetricRows {
    template <int kCount>
    ASSISTD_AVX2 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                 float* out, size_t out_stride) {
        constexpr BlockFormat kFormat{kBits, false};
        __m256 acc[kCount][2];
        for (int j = 0; j < kCount; ++j) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
        const int64_t blocks = n / kBlockValues;
        for (int64_t b = 0; b < blocks; ++b) {
            const uint8_t* wb = w + b * kFormat.block_bytes();
            prefetch_ahead<kFormat.block_bytes()>(wb);
            const __m256i codes = block_codes<kBits, false>(wb);
            const __m256i magnitudes = _mm256_sign_epi8(codes, codes);
            const float w_scale = half_at(wb);
#pragma GCC unroll 8
            for (int j = 0; j < kCount; ++j) {
                const uint8_t* ab = a + j * stride + b * kQ8_0Bytes;
                const __m256i sums =
                    dot_unsigned_signed(magnitudes, _mm256_sign_epi8(load32(ab + 2), codes));
                const __m256 scale = _mm256_set1_ps(w_scale * half_at(ab));
                acc[j][b & 1] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(sums), acc[j][b & 1]);
            }
        }
        for (int j = 0; j < kCount; ++j) {
            out[j * out_stride] = horizontal_sum(_mm256_add_ps(acc[j][0], acc[j][1]));
        }
    }
};

// 32-value blocks of the "_1" formats (Q4_1, Q5_1) against Q8_1, two blocks per step so that
// two independent FMA chains hide each other's latency.
template <int kBits>
ASSISTD_AVX2 float dot_blocks_with_min(const void* row, const void* activation, int64_t n) {
    constexpr BlockFormat kFormat{kBits, true};
    const auto* w = static_cast<const uint8_t*>(row);
    const auto* a = static_cast<const uint8_t*>(activation);
    __m256 acc[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
    float min_sum = 0.0f;  // sum over blocks of m * s
    const int64_t blocks = n / kBlockValues;
    for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t* wb = w + b * kFormat.block_bytes();
        prefetch_ahead<kFormat.block_bytes()>(wb);
        const uint8_t* ab = a + b * kQ8_1Bytes;
        const __m256i sums = dot_unsigned_signed(block_codes<kBits, true>(wb), load32(ab + 4));
        const __m256 scale = _mm256_set1_ps(half_at(wb) * half_at(ab));
        acc[b & 1] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(sums), acc[b & 1]);
        min_sum += half_at(wb + 2) * half_at(ab + 2);
    }
    return horizontal_sum(_mm256_add_ps(acc[0], acc[1])) + min_sum;
}

ASSISTD_AVX2 float q8_k_scale(const uint8_t* act) {
    float d;
    std::memcpy(&d, act, sizeof d);
    return d;
}

ASSISTD_AVX2 const int16_t* q8_k_bsums(const uint8_t* act, int16_t* storage) {
    std::memcpy(storage, act + 4 + kSuperBlockValues, 16 * sizeof(int16_t));
    return storage;
}

// Two sub-block scales as 16 int16 lanes: the low 8 for the low 128 bits, the high 8 for the rest.
ASSISTD_AVX2 __m256i scale_pair(int low, int high) {
    return _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(high)),
                            _mm_set1_epi16(static_cast<int16_t>(low)));
}

// sum_s mins[s] * (bsums[2s] + bsums[2s + 1]): the mins' share of a Q4_K / Q5_K super-block.
ASSISTD_AVX2 int mins_dot(const uint8_t mins[8], const uint8_t* act) {
    int16_t storage[16];
    const int16_t* bsums = q8_k_bsums(act, storage);
    int dot = 0;
    for (int s = 0; s < 8; ++s) dot += mins[s] * (bsums[2 * s] + bsums[2 * s + 1]);
    return dot;
}

// Q4_K and Q5_K against kCount Q8_K rows: per 64 values one 32-byte load holds sub-block 2c in
// its low nibbles and 2c + 1 in its high nibbles (Q5_K adds their fifth bits from bits 2c and
// 2c + 1 of qh), unpacked once for all rows; the mins come in once per super-block through
// Q8_K's 16-value sums. Integer sums are exact in any order, and each row's float operations are
// those of one row alone, so batching does not change a row's result.
template <bool kFiveBits>
struct Q4Q5KRows {
    template <int kCount>
    ASSISTD_AVX2 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                 float* out, size_t out_stride) {
        constexpr size_t kBlockBytes = kFiveBits ? 176 : 144;
        constexpr size_t kQsOffset = kFiveBits ? 48 : 16;
        constexpr size_t kQhOffset = 16;
        const __m256i nibble = _mm256_set1_epi8(0x0f);
        __m256 acc[kCount];
        float min_sum[kCount];
        for (int j = 0; j < kCount; ++j) {
            acc[j] = _mm256_setzero_ps();
            min_sum[j] = 0.0f;
        }
        for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
            const uint8_t* wb = w + b * kBlockBytes;
            prefetch_ahead<kBlockBytes>(wb);
            uint8_t scales[8];
            uint8_t mins[8];
            unpack_six_bit_scales(wb + 4, scales, mins);
            const float d = half_at(wb);
            const float dmin = half_at(wb + 2);
            __m256i sums[kCount];
            for (int j = 0; j < kCount; ++j) sums[j] = _mm256_setzero_si256();
            const uint8_t* qs = wb + kQsOffset;
            for (int c = 0; c < 4; ++c) {
                const __m256i packed = load32(qs + 32 * c);
                __m256i low = _mm256_and_si256(packed, nibble);
                __m256i high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), nibble);
                if constexpr (kFiveBits) {
                    // Bit k of each qh byte, moved to bit 4; the 16-bit shift's spill from the
                    // neighbouring byte lands above bit 0 and is masked off.
                    const __m256i qh = load32(wb + kQhOffset);
                    const __m256i one = _mm256_set1_epi8(1);
                    low = _mm256_or_si256(
                        low,
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * c), one), 4));
                    high = _mm256_or_si256(
                        high, _mm256_slli_epi16(
                                  _mm256_and_si256(_mm256_srli_epi16(qh, 2 * c + 1), one), 4));
                }
                const __m256i scale_low = _mm256_set1_epi16(scales[2 * c]);
                const __m256i scale_high = _mm256_set1_epi16(scales[2 * c + 1]);
#pragma GCC unroll 8
                for (int j = 0; j < kCount; ++j) {
                    const uint8_t* qa = a + j * stride + b * kQ8KBytes + 4;
                    const __m256i p_low = _mm256_maddubs_epi16(low, load32(qa + 64 * c));
                    const __m256i p_high = _mm256_maddubs_epi16(high, load32(qa + 64 * c + 32));
                    sums[j] = _mm256_add_epi32(sums[j], _mm256_madd_epi16(p_low, scale_low));
                    sums[j] = _mm256_add_epi32(sums[j], _mm256_madd_epi16(p_high, scale_high));
                }
            }
            for (int j = 0; j < kCount; ++j) {
                const uint8_t* ab = a + j * stride + b * kQ8KBytes;
                const float d_act = q8_k_scale(ab);
                min_sum[j] += d_act * dmin * static_cast<float>(mins_dot(mins, ab));
                acc[j] =
                    _mm256_fmadd_ps(_mm256_set1_ps(d_act * d), _mm256_cvtepi32_ps(sums[j]), acc[j]);
            }
        }
        for (int j = 0; j < kCount; ++j) out[j * out_stride] = horizontal_sum(acc[j]) - min_sum[j];
    }
};

// Q6_K against kCount Q8_K rows: codes are rebuilt unsigned (0..63) from 4 low and 2 high bits,
// once for all rows; the zero point 32 comes off once per super-block as
// 32 * sum_s scale[s] * bsum[s].
struct Q6KRows {
    template <int kCount>
    ASSISTD_AVX2 static void run(const uint8_t* w, const uint8_t* a, size_t stride, int64_t n,
                                 float* out, size_t out_stride) {
        const __m256i nibble = _mm256_set1_epi8(0x0f);
        const __m256i two_bits = _mm256_set1_epi8(0x03);
        __m256 acc[kCount];
        for (int j = 0; j < kCount; ++j) acc[j] = _mm256_setzero_ps();
        constexpr size_t kBlockBytes = 210;
        for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
            const uint8_t* wb = w + b * kBlockBytes;
            prefetch_ahead<kBlockBytes>(wb);
            const auto* scales = reinterpret_cast<const int8_t*>(wb + 192);
            __m256i sums[kCount];
            for (int j = 0; j < kCount; ++j) sums[j] = _mm256_setzero_si256();
            for (int half = 0; half < 2; ++half) {
                const __m256i ql0 = load32(wb + 64 * half);
                const __m256i ql1 = load32(wb + 64 * half + 32);
                const __m256i qh = load32(wb + 128 + 32 * half);
                const __m256i low[4] = {_mm256_and_si256(ql0, nibble),
                                        _mm256_and_si256(ql1, nibble),
                                        _mm256_and_si256(_mm256_srli_epi16(ql0, 4), nibble),
                                        _mm256_and_si256(_mm256_srli_epi16(ql1, 4), nibble)};
#pragma GCC unroll 4
                for (int k = 0; k < 4; ++k) {
                    const __m256i high = _mm256_and_si256(_mm256_srli_epi16(qh, 2 * k), two_bits);
                    const __m256i codes = _mm256_or_si256(low[k], _mm256_slli_epi16(high, 4));
                    const int s = 8 * half + 2 * k;
                    const __m256i pair = scale_pair(scales[s], scales[s + 1]);
#pragma GCC unroll 8
                    for (int j = 0; j < kCount; ++j) {
                        const uint8_t* qa = a + j * stride + b * kQ8KBytes + 4;
                        const __m256i products =
                            _mm256_maddubs_epi16(codes, load32(qa + 128 * half + 32 * k));
                        sums[j] = _mm256_add_epi32(sums[j], _mm256_madd_epi16(products, pair));
                    }
                }
            }
            const float d = half_at(wb + 208);
            for (int j = 0; j < kCount; ++j) {
                const uint8_t* ab = a + j * stride + b * kQ8KBytes;
                int16_t storage[16];
                const int16_t* bsums = q8_k_bsums(ab, storage);
                int zero_point = 0;
                for (int s = 0; s < 16; ++s) zero_point += scales[s] * bsums[s];
                sums[j] = _mm256_sub_epi32(sums[j],
                                           _mm256_setr_epi32(32 * zero_point, 0, 0, 0, 0, 0, 0, 0));
                acc[j] = _mm256_fmadd_ps(_mm256_set1_ps(q8_k_scale(ab) * d),
                                         _mm256_cvtepi32_ps(sums[j]), acc[j]);
            }
        }
        for (int j = 0; j < kCount; ++j) out[j * out_stride] = horizontal_sum(acc[j]);
    }
};

// Four activation rows at a time: their accumulators and the unpacked weights fill the 16 ymm
// registers.
constexpr int kGroup = 4;

size_t q8_0_row_bytes(int64_t n) {
    return static_cast<size_t>(n / kBlockValues) * kQ8_0Bytes;
}

size_t q8_k_row_bytes(int64_t n) {
    return static_cast<size_t>(n / kSuperBlockValues) * kQ8KBytes;
}

ASSISTD_AVX2 float max_abs8(__m256 v) {
    v = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v);
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// roundf (halves away from zero), exactly: truncate, then step away where the rest is >= 0.5.
ASSISTD_AVX2 __m256i round_half_away(__m256 v) {
    const __m256 truncated = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 sign = _mm256_and_ps(v, _mm256_set1_ps(-0.0f));
    const __m256 rest = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(v, truncated));
    const __m256 step = _mm256_and_ps(_mm256_cmp_ps(rest, _mm256_set1_ps(0.5f), _CMP_GE_OQ),
                                      _mm256_or_ps(_mm256_set1_ps(1.0f), sign));
    return _mm256_cvttps_epi32(_mm256_add_ps(truncated, step));
}

// 32 int32 codes (4 vectors) to 32 int8 in order.
ASSISTD_AVX2 void store_codes(const __m256i codes[4], uint8_t* dst) {
    const __m256i words = _mm256_packs_epi32(codes[0], codes[1]);  // lanes interleaved by 128
    const __m256i words_hi = _mm256_packs_epi32(codes[2], codes[3]);
    const __m256i bytes = _mm256_packs_epi16(words, words_hi);
    const __m256i ordered =
        _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), ordered);
}

// One Q8_0 block of 32 values: its 32 codes into `codes`, in order; returns the scale d (before
// its rounding to f16).
ASSISTD_AVX2 float quantize_block_q8_0(const float* x, uint8_t* codes) {
    __m256 v[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) v[k] = _mm256_loadu_ps(x + 8 * k);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const float amax = max_abs8(
        _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v[0]), _mm256_andnot_ps(sign, v[1])),
                      _mm256_max_ps(_mm256_andnot_ps(sign, v[2]), _mm256_andnot_ps(sign, v[3]))));
    const float d = amax / 127;
    const __m256 inverse = _mm256_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
    __m256i rounded[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) rounded[k] = round_half_away(_mm256_mul_ps(v[k], inverse));
    store_codes(rounded, codes);
    return d;
}

ASSISTD_AVX2 void quantize_q8_0_avx2(const float* x, uint8_t* dst, int64_t n) {
    for (int64_t b = 0; b < n / kBlockValues; ++b) {
        uint8_t* block = dst + b * kQ8_0Bytes;
        store_fp16(block, quantize_block_q8_0(x + b * kBlockValues, block + 2));
    }
}

ASSISTD_AVX2 void quantize_q8_k_avx2(const float* x, uint8_t* dst, int64_t n) {
    for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
        const float* xb = x + b * kSuperBlockValues;
        uint8_t* block = dst + b * kQ8KBytes;
        // The signed value of largest magnitude, the first one where several tie, as ggml picks.
        __m256 amax8 = _mm256_setzero_ps();
        for (int i = 0; i < kSuperBlockValues; i += 8) {
            amax8 = _mm256_max_ps(amax8,
                                  _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_loadu_ps(xb + i)));
        }
        const float amax = max_abs8(amax8);
        std::memset(block, 0, kQ8KBytes);
        if (amax == 0.0f) continue;
        float max = 0.0f;
        for (int i = 0; i < kSuperBlockValues; ++i) {
            if (xb[i] == amax || xb[i] == -amax) {
                max = xb[i];
                break;
            }
        }
        const float iscale = -127.0f / max;
        const __m256 scale = _mm256_set1_ps(iscale);
        for (int i = 0; i < kSuperBlockValues; i += 32) {
            __m256i codes[4];
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i rounded =
                    _mm256_cvtps_epi32(_mm256_mul_ps(scale, _mm256_loadu_ps(xb + i + 8 * k)));
                codes[k] = _mm256_min_epi32(rounded, _mm256_set1_epi32(127));
            }
            store_codes(codes, block + 4 + i);
        }
        const auto* qs = reinterpret_cast<const int8_t*>(block + 4);
        int16_t bsums[16];
        for (int s = 0; s < 16; ++s) {
            int sum = 0;
            for (int j = 0; j < 16; ++j) sum += qs[16 * s + j];
            bsums[s] = static_cast<int16_t>(sum);
        }
        std::memcpy(block + 4 + kSuperBlockValues, bsums, sizeof bsums);
        const float d = 1 / iscale;
        std::memcpy(block, &d, sizeof d);
    }
}

// The sum of a vector's four int32 lanes.
ASSISTD_AVX2 int32_t lane_sum(__m128i v) {
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(v);
}

// quantize_q8_0_avx2's blocks straight into the panel slots, with their code sums: the bits of
// quantize_panel_row_reference, which goes through Q8_0 blocks and a scalar copy.
ASSISTD_AVX2 void quantize_panel_row_avx2(const float* x, int64_t blocks,
                                          const PanelRowSlots& slots) {
    const __m256i ones8 = _mm256_set1_epi8(1);
    const __m256i ones16 = _mm256_set1_epi16(1);
    for (int64_t b = 0; b < blocks; ++b) {
        uint8_t* out = slots.codes + b * kPanelRows * kBlockValues;
        const float d = quantize_block_q8_0(x + b * kBlockValues, out);
        // Pairs of codes, then pairs of pairs: int32 lanes 0-3 sum codes 0-15, lanes 4-7 16-31.
        const __m256i quads = _mm256_madd_epi16(
            _mm256_maddubs_epi16(ones8, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(out))),
            ones16);
        const int32_t half = lane_sum(_mm256_castsi256_si128(quads));
        slots.first_half_sums[b * kPanelRows] = half;
        slots.sums[b * kPanelRows] = half + lane_sum(_mm256_extracti128_si256(quads, 1));
        slots.scales[b * kPanelRows] = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    }
}

}  // namespace

PanelQuantizeFn avx2_panel_quantize() {
    return cpu_has_avx2() ? quantize_panel_row_avx2 : nullptr;
}

bool avx2_quantize_activation(DType type, const float* x, void* dst, int64_t n) {
    if (type == DType::Q8_0) {
        quantize_q8_0_avx2(x, static_cast<uint8_t*>(dst), n);
        return true;
    }
    if (type == DType::Q8_K) {
        quantize_q8_k_avx2(x, static_cast<uint8_t*>(dst), n);
        return true;
    }
    return false;
}

QuantDotFn avx2_quant_dot_function(DType weight) {
    using many_rows::alone;
    switch (weight) {
        case DType::Q4_0:
            return alone<SymmetricRows<4>>;
        case DType::Q4_1:
            return dot_blocks_with_min<4>;
        case DType::Q5_0:
            return alone<SymmetricRows<5>>;
        case DType::Q5_1:
            return dot_blocks_with_min<5>;
        case DType::Q8_0:
            return alone<SymmetricRows<8>>;
        case DType::Q4_K:
            return alone<Q4Q5KRows<false>>;
        case DType::Q5_K:
            return alone<Q4Q5KRows<true>>;
        case DType::Q6_K:
            return alone<Q6KRows>;
        default:
            return nullptr;
    }
}

QuantDotMany avx2_quant_dot_many(DType weight) {
    using many_rows::in_groups;
    switch (weight) {
        case DType::Q4_0:
            return {in_groups<SymmetricRows<4>, kGroup>, q8_0_row_bytes, nullptr};
        case DType::Q5_0:
            return {in_groups<SymmetricRows<5>, kGroup>, q8_0_row_bytes, nullptr};
        case DType::Q8_0:
            return {in_groups<SymmetricRows<8>, kGroup>, q8_0_row_bytes, nullptr};
        case DType::Q4_K:
            return {in_groups<Q4Q5KRows<false>, kGroup>, q8_k_row_bytes, nullptr};
        case DType::Q5_K:
            return {in_groups<Q4Q5KRows<true>, kGroup>, q8_k_row_bytes, nullptr};
        case DType::Q6_K:
            return {in_groups<Q6KRows, kGroup>, q8_k_row_bytes, nullptr};
        default:
            return {};
    }
}

#else

PanelQuantizeFn avx2_panel_quantize() {
    return nullptr;
}

bool avx2_quantize_activation(DType, const float*, void*, int64_t) {
    return false;
}

QuantDotFn avx2_quant_dot_function(DType) {
    return nullptr;
}

QuantDotMany avx2_quant_dot_many(DType) {
    return {};
}

#endif

}  // namespace assistd
