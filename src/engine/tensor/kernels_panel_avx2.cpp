// AVX2 panel kernel, for CPUs without AVX-512 VNNI (AMD Zen 2 and 3, Intel before Ice Lake): the
// panel layout read eight weight rows at a time, each 4-value group of codes multiplied by the
// broadcast activation group with vpmaddubsw (pairs to 16 bits) and vpmaddwd (to 32), the 16-bit
// pair sums of several groups added first where they cannot wrap. The dots are the exact integers
// the VNNI kernel gets and the float step is the same expression lane by lane, so the results are
// the reference's bits (panel_format.h).
#include <algorithm>

#include "engine/tensor/cpu_features.h"
#include "engine/tensor/panel_kernel_loops.h"
#include "engine/tensor/panel_kernels.h"
#include "engine/tensor/weight_prefetch.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

#if defined(__x86_64__)

#define ASSISTD_PANEL_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace {

constexpr int kGroups = kPanelGroups;
constexpr int kHalfRows = kPanelRows / 2;  // one 256-bit register of 32-bit lanes

// Groups whose 16-bit pair sums add up before widening without wrapping: a pair of an unsigned
// code c <= c_max and an activation code |a| <= 127 is at most 2 * c_max * 127 (Q4: 3810, Q5: 7874,
// Q6_K: 16002); Q8_0's signed codes go through the sign trick, up to 2 * 128 * 127 = 32512.
template <DType kType>
constexpr int groups_per_widening() {
    switch (kType) {
        case DType::Q4_0:
        case DType::Q4_1:
        case DType::Q4_K:
            return 8;
        case DType::Q5_0:
        case DType::Q5_1:
        case DType::Q5_K:
            return 4;
        case DType::Q6_K:
            return 2;
        default:
            return 1;
    }
}

ASSISTD_PANEL_AVX2 inline __m256i load(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Half h (rows 8h .. 8h + 7) of a block record's codes as eight vectors, vector q holding group q:
// unsigned codes (nibbles and the planes of the bits above them), or for Q8_0 the signed codes.
template <DType kType>
ASSISTD_PANEL_AVX2 inline void unpack_half(const uint8_t* codes, int h, __m256i out[kGroups]) {
    const uint8_t* base = codes + h * kHalfRows * 4;
    if constexpr (kType == DType::Q8_0) {
        const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
#pragma GCC unroll 8
        for (int q = 0; q < kGroups; ++q)
            out[q] = _mm256_xor_si256(load(base + q * kPanelGroupBytes), flip);
    } else {
        const __m256i nibble = _mm256_set1_epi8(0x0f);
#pragma GCC unroll 4
        for (int q = 0; q < kGroups / 2; ++q) {
            const __m256i both = load(base + q * kPanelGroupBytes);
            out[q] = _mm256_and_si256(both, nibble);
            out[q + 4] = _mm256_and_si256(_mm256_srli_epi16(both, 4), nibble);
        }
        constexpr int kPlanes = panel_planes(kType);
#pragma GCC unroll 2
        for (int plane = 0; plane < kPlanes; ++plane) {
            const __m256i bits = load(base + (kGroups / 2 + plane) * kPanelGroupBytes);
            const __m256i value = _mm256_set1_epi8(static_cast<char>(16 << plane));
#pragma GCC unroll 8
            for (int q = 0; q < kGroups; ++q) {
                const __m256i bit = _mm256_set1_epi8(static_cast<char>(1 << q));
                const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(bits, bit), bit);
                out[q] = _mm256_add_epi8(out[q], _mm256_and_si256(set, value));
            }
        }
    }
}

// One group of eight rows' codes times an activation group, as 16-bit sums of pairs.
template <DType kType>
ASSISTD_PANEL_AVX2 inline __m256i pairs(__m256i codes, const uint8_t* group) {
    const __m256i activation = _mm256_set1_epi32(activation_group(group));
    if constexpr (kType == DType::Q8_0) {
        return _mm256_maddubs_epi16(_mm256_abs_epi8(codes), _mm256_sign_epi8(activation, codes));
    } else {
        return _mm256_maddubs_epi16(codes, activation);
    }
}

// The exact dots of groups first .. first + count - 1 of eight rows with one activation row's
// codes `a` (without the codes' zero point taken off).
template <DType kType>
ASSISTD_PANEL_AVX2 inline __m256i group_dots(const __m256i codes[kGroups], const uint8_t* a,
                                             int first, int count) {
    constexpr int kWiden = groups_per_widening<kType>();
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i total = _mm256_setzero_si256();
#pragma GCC unroll 8
    for (int q = first; q < first + count; q += kWiden) {
        __m256i sum = pairs<kType>(codes[q], a + 4 * q);
#pragma GCC unroll 8
        for (int k = 1; k < kWiden; ++k)
            sum = _mm256_add_epi16(sum, pairs<kType>(codes[q + k], a + 4 * (q + k)));
        total = _mm256_add_epi32(total, _mm256_madd_epi16(sum, ones));
    }
    return total;
}

// acc = fma(float(dots - zero * activation_sum), d_w * d_a, acc), as panel_block_step.h.
ASSISTD_PANEL_AVX2 inline __m256 accumulate(__m256 acc, __m256i dots, int32_t zero_sum,
                                            __m256 weight_scales, float activation_scale) {
    const __m256i exact = _mm256_sub_epi32(dots, _mm256_set1_epi32(zero_sum));
    const __m256 scale = _mm256_mul_ps(weight_scales, _mm256_set1_ps(activation_scale));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(exact), scale, acc);
}

ASSISTD_PANEL_AVX2 inline __m256 f16_floats(const uint8_t* halves) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(halves)));
}

ASSISTD_PANEL_AVX2 inline __m256 int8_floats(const uint8_t* bytes) {
    return _mm256_cvtepi32_ps(
        _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes))));
}

struct HalfFactors {
    __m256 scales;
    __m256 second;
};

// Half h's weight scales and second floats of a block (see panel_block_step.h's block_factors).
template <DType kType>
ASSISTD_PANEL_AVX2 inline HalfFactors half_factors(const uint8_t* header, const uint8_t* record,
                                                   int h) {
    if constexpr (panel_header_bytes(kType) == 0) {
        const uint8_t* halves = record + h * kHalfRows * 2;
        if constexpr (panel_has_min(kType))
            return {f16_floats(halves), f16_floats(halves + 2 * kPanelRows)};
        return {f16_floats(halves), _mm256_setzero_ps()};
    } else {
        const auto* floats = reinterpret_cast<const float*>(header) + h * kHalfRows;
        const __m256 d = _mm256_loadu_ps(floats);
        const __m256 d_second = panel_has_min(kType) ? _mm256_loadu_ps(floats + kPanelRows) : d;
        return {_mm256_mul_ps(d, int8_floats(record + h * kHalfRows)),
                _mm256_mul_ps(d_second, int8_floats(record + kPanelRows + h * kHalfRows))};
    }
}

template <DType kType, int kCount>
ASSISTD_PANEL_AVX2 void panel_rows(const PanelWeights& w, int64_t panel, const PanelActivations& a,
                                   int64_t first, float* out, size_t out_stride, int valid_rows) {
    constexpr size_t kRecordBytes = panel_record_bytes(kType);
    constexpr size_t kHeaderBytes = panel_header_bytes(kType);
    // Q8_0's codes are signed here: no zero point to take off.
    const int32_t zero = kType == DType::Q8_0 ? 0 : w.zero_point();
    __m256 acc[kCount][2];
    PanelRowSlots rows[kCount];
    for (int j = 0; j < kCount; ++j) {
        acc[j][0] = acc[j][1] = _mm256_setzero_ps();
        rows[j] = a.slots(first + j);
    }
    const uint8_t* header = w.header(panel, 0);
    const uint8_t* record = header + kHeaderBytes;
    for (int64_t b = 0; b < w.blocks; ++b) {
        prefetch_ahead<kRecordBytes>(record);
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            const auto [scales, second] = half_factors<kType>(header, record, h);
            __m256i codes[kGroups];
            unpack_half<kType>(record + panel_codes_offset(kType), h, codes);
#pragma GCC unroll 4
            for (int j = 0; j < kCount; ++j) {
                const uint8_t* activation = rows[j].codes + b * kPanelRows * kBlockValues;
                const int32_t sum = rows[j].sums[b * kPanelRows];
                const float d_a = rows[j].scales[b * kPanelRows];
                if constexpr (kType == DType::Q6_K) {
                    const int32_t half = rows[j].first_half_sums[b * kPanelRows];
                    acc[j][h] = accumulate(acc[j][h], group_dots<kType>(codes, activation, 0, 4),
                                           zero * half, scales, d_a);
                    acc[j][h] = accumulate(acc[j][h], group_dots<kType>(codes, activation, 4, 4),
                                           zero * (sum - half), second, d_a);
                    continue;
                }
                acc[j][h] = accumulate(acc[j][h], group_dots<kType>(codes, activation, 0, kGroups),
                                       zero * sum, scales, d_a);
                if constexpr (panel_has_min(kType)) {
                    const float term = -(d_a * static_cast<float>(sum));
                    acc[j][h] = _mm256_fmadd_ps(second, _mm256_set1_ps(term), acc[j][h]);
                }
            }
        }
        record += kRecordBytes;
        if (kHeaderBytes != 0 && (b + 1) % kSuperBlocks == 0) {
            header = record;
            record += kHeaderBytes;
        }
    }
    for (int h = 0; h < 2; ++h) {
        const int lanes = std::clamp(valid_rows - h * kHalfRows, 0, kHalfRows);
        const __m256i mask =
            _mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        for (int j = 0; j < kCount; ++j)
            _mm256_maskstore_ps(out + j * out_stride + h * kHalfRows, mask, acc[j][h]);
    }
}

// Activation rows per pass over a panel: the unpacked codes of a half block are sixteen registers'
// worth with the accumulators, so two rows at a time.
constexpr int64_t kRowsPerPass = 2;

struct Avx2Panel {
    template <DType kType>
    static void dot(const PanelWeights& w, int64_t panel, const PanelActivations& a, int64_t first,
                    int64_t count, float* out, size_t out_stride) {
        const int rows =
            static_cast<int>(std::min<int64_t>(kPanelRows, w.rows - panel * kPanelRows));
        int64_t j = 0;
        for (; j + kRowsPerPass <= count; j += kRowsPerPass)
            panel_rows<kType, 2>(w, panel, a, first + j, out + j * out_stride, out_stride, rows);
        if (j < count)
            panel_rows<kType, 1>(w, panel, a, first + j, out + j * out_stride, out_stride, rows);
    }
};

// Activation rows per pass over the panels, so that they stay in L1/L2 while the panels pass.
constexpr int64_t kChunkRows = 32;

}  // namespace

PanelDotFn avx2_panel_dot() {
    return detect_cpu_features().avx2_fma_f16c() ? panels_dot<Avx2Panel, kChunkRows> : nullptr;
}

#else

PanelDotFn avx2_panel_dot() {
    return nullptr;
}

#endif

}  // namespace assistd
