// AVX-512 quantizer of activation rows into the panel layout: each 32-value block's codes, f16
// scale and code sums straight into their slots, the bits of quantize_panel_row_reference. A decode
// step quantizes every product's input on one thread while the others wait (the feed-forward's
// 4864 values took 7.5 us through Q8_0 blocks and a scalar copy; this takes a fraction).
#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/cpu_features.h"
#include "engine/tensor/panel_block_step.h"
#include "engine/tensor/panel_kernels.h"

namespace assistd {

#if defined(__x86_64__)

namespace {

// roundf (halves away from zero), exactly: truncate, then step away where the rest is >= 0.5.
ASSISTD_PANEL_AVX512 __m512i round_half_away(__m512 v) {
    const __m512 truncated = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 rest = _mm512_abs_ps(_mm512_sub_ps(v, truncated));
    const __mmask16 away = _mm512_cmp_ps_mask(rest, _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    const __mmask16 negative = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 rounded = _mm512_mask_add_ps(truncated, away & ~negative, truncated, one);
    rounded = _mm512_mask_sub_ps(rounded, away & negative, rounded, one);
    return _mm512_cvttps_epi32(rounded);
}

ASSISTD_PANEL_AVX512 void quantize_row(const float* x, int64_t blocks, const PanelRowSlots& slots) {
    for (int64_t b = 0; b < blocks; ++b) {
        const __m512 low = _mm512_loadu_ps(x + b * kBlockValues);
        const __m512 high = _mm512_loadu_ps(x + b * kBlockValues + 16);
        const float amax =
            _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(low), _mm512_abs_ps(high)));
        const float d = amax / 127;
        const __m512 inverse = _mm512_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
        const __m512i codes_low = round_half_away(_mm512_mul_ps(low, inverse));
        const __m512i codes_high = round_half_away(_mm512_mul_ps(high, inverse));
        uint8_t* codes = slots.codes + b * kPanelRows * kBlockValues;
        _mm_storeu_si128(reinterpret_cast<__m128i*>(codes), _mm512_cvtsepi32_epi8(codes_low));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + 16), _mm512_cvtsepi32_epi8(codes_high));
        const int32_t half = _mm512_reduce_add_epi32(codes_low);
        slots.first_half_sums[b * kPanelRows] = half;
        slots.sums[b * kPanelRows] = half + _mm512_reduce_add_epi32(codes_high);
        // The scale as Q8_0 stores it: f16, rounded to nearest even.
        slots.scales[b * kPanelRows] = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    }
}

}  // namespace

PanelQuantizeFn avx512_panel_quantize() {
    return detect_cpu_features().avx512_vnni() ? quantize_row : nullptr;
}

#else

PanelQuantizeFn avx512_panel_quantize() {
    return nullptr;
}

#endif

}  // namespace assistd
