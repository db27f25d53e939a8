// AVX-512 VNNI panel kernel: for each block, the 16 rows' codes stay in eight registers (group q
// of every row in one) and each activation row's groups of four are broadcast against them, so one
// vpdpbusd chain gives the 16 rows' exact block dots in 16 lanes, with no horizontal sums.
#include <algorithm>

#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/cpu_features.h"
#include "engine/tensor/panel_block_step.h"
#include "engine/tensor/panel_kernel_loops.h"
#include "engine/tensor/panel_kernels.h"
#include "engine/tensor/weight_prefetch.h"

namespace assistd {

#if defined(__x86_64__)

namespace {

using panel_step::kGroups;

// The exact integer dots of groups first .. first + count - 1 of the 16 rows with one activation
// row's (32 codes from `a`): each group of four activation codes is broadcast against the same
// group of every row.
ASSISTD_PANEL_AVX512 __m512i group_dots(const __m512i codes[kGroups], const uint8_t* a, int first,
                                        int count) {
    __m512i even = _mm512_setzero_si512();
    __m512i odd = _mm512_setzero_si512();
#pragma GCC unroll 4
    for (int q = first; q < first + count; q += 2) {
        even = _mm512_dpbusd_epi32(even, codes[q], _mm512_set1_epi32(activation_group(a + 4 * q)));
        odd = _mm512_dpbusd_epi32(odd, codes[q + 1],
                                  _mm512_set1_epi32(activation_group(a + 4 * q + 4)));
    }
    return _mm512_add_epi32(even, odd);
}

template <DType kType, int kCount>
ASSISTD_PANEL_AVX512 void panel_rows(const PanelWeights& w, int64_t panel,
                                     const PanelActivations& a, int64_t first, float* out,
                                     size_t out_stride, __mmask16 valid) {
    constexpr bool kHasMin = panel_has_min(kType);
    constexpr bool kHalves = kType == DType::Q6_K;
    constexpr size_t kRecordBytes = panel_record_bytes(kType);
    constexpr size_t kHeaderBytes = panel_header_bytes(kType);
    const int32_t zero = w.zero_point();
    __m512 acc[kCount];
    PanelRowSlots rows[kCount];
    for (int j = 0; j < kCount; ++j) {
        acc[j] = _mm512_setzero_ps();
        rows[j] = a.slots(first + j);
    }
    // Records follow each other, a K-quant's super-block header before every 8 of them.
    const uint8_t* header = w.header(panel, 0);
    const uint8_t* record = header + kHeaderBytes;
    for (int64_t b = 0; b < w.blocks; ++b) {
        prefetch_ahead<kRecordBytes>(record);
        const auto [scales, second] = panel_step::block_factors<kType>(header, record);
        __m512i codes[kGroups];
        panel_step::unpack_codes<kType>(record + panel_codes_offset(kType), codes);
        record += kRecordBytes;
        if (kHeaderBytes != 0 && (b + 1) % kSuperBlocks == 0) {
            header = record;
            record += kHeaderBytes;
        }
#pragma GCC unroll 8
        for (int j = 0; j < kCount; ++j) {
            const uint8_t* activation = rows[j].codes + b * kPanelRows * kBlockValues;
            const int32_t sum = rows[j].sums[b * kPanelRows];
            const float d_a = rows[j].scales[b * kPanelRows];
            if constexpr (kHalves) {
                const int32_t half = rows[j].first_half_sums[b * kPanelRows];
                const __m512i low = panel_step::without_zero_point(
                    group_dots(codes, activation, 0, kGroups / 2), half, zero);
                acc[j] = panel_step::accumulate(acc[j], low, scales, d_a);
                const __m512i high = panel_step::without_zero_point(
                    group_dots(codes, activation, kGroups / 2, kGroups / 2), sum - half, zero);
                acc[j] = panel_step::accumulate(acc[j], high, second, d_a);
                continue;
            }
            const __m512i exact = panel_step::without_zero_point(
                group_dots(codes, activation, 0, kGroups), sum, zero);
            acc[j] = panel_step::accumulate(acc[j], exact, scales, d_a);
            if constexpr (kHasMin) acc[j] = panel_step::subtract_minimums(acc[j], second, d_a, sum);
        }
    }
    for (int j = 0; j < kCount; ++j) _mm512_mask_storeu_ps(out + j * out_stride, valid, acc[j]);
}

// Up to eight activation rows per pass over the panel: the codes of a block stay in registers
// for all of them.
constexpr int kGroup = 8;

template <DType kType, int kCount>
void panel_remaining(const PanelWeights& w, int64_t panel, const PanelActivations& a, int64_t first,
                     int64_t count, float* out, size_t out_stride, __mmask16 valid) {
    if (count == kCount)
        return panel_rows<kType, kCount>(w, panel, a, first, out, out_stride, valid);
    if constexpr (kCount > 1)
        panel_remaining<kType, kCount - 1>(w, panel, a, first, count, out, out_stride, valid);
}

struct Avx512Panel {
    template <DType kType>
    static void dot(const PanelWeights& w, int64_t panel, const PanelActivations& a, int64_t first,
                    int64_t count, float* out, size_t out_stride) {
        const int64_t rows = std::min<int64_t>(kPanelRows, w.rows - panel * kPanelRows);
        const auto valid = static_cast<__mmask16>((1u << rows) - 1);
        int64_t j = 0;
        for (; j + kGroup <= count; j += kGroup)
            panel_rows<kType, kGroup>(w, panel, a, first + j, out + j * out_stride, out_stride,
                                      valid);
        if (j < count) {
            panel_remaining<kType, kGroup - 1>(w, panel, a, first + j, count - j,
                                               out + j * out_stride, out_stride, valid);
        }
    }
};

// Activation rows per pass over the panels: eight VNNI groups.
constexpr int64_t kChunkRows = 64;

}  // namespace

PanelDotFn avx512_panel_dot() {
    return detect_cpu_features().avx512_vnni() ? panels_dot<Avx512Panel, kChunkRows> : nullptr;
}

#else

PanelDotFn avx512_panel_dot() {
    return nullptr;
}

#endif

}  // namespace assistd
