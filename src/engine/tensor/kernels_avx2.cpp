// Each kernel keeps 8 partial sums in a vector register and reduces them once per row. The block
// kernels widen a block's codes to floats, take the block's dot with x, and only then scale by
// d (and add m * sum(x)), so a block costs 4 to 5 FMAs beyond the decode.
#include "engine/tensor/kernels_avx2.h"

#include <cmath>
#include <cstring>

#include "engine/tensor/block_format.h"
#include "engine/tensor/cpu_features.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

bool cpu_has_avx2() {
    return detect_cpu_features().avx2_fma_f16c();
}

#if defined(__x86_64__)
#define ASSISTD_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace {

ASSISTD_AVX2 float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

uint16_t load_u16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Element loaders: 8 values at once, or one for the tail of a row.
struct F32Values {
    ASSISTD_AVX2 static __m256 load8(const void* row, int64_t i) {
        return _mm256_loadu_ps(static_cast<const float*>(row) + i);
    }
    static float load1(const void* row, int64_t i) { return static_cast<const float*>(row)[i]; }
};

struct F16Values {
    ASSISTD_AVX2 static __m256 load8(const void* row, int64_t i) {
        const auto* p = static_cast<const uint8_t*>(row) + 2 * i;
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    ASSISTD_AVX2 static float load1(const void* row, int64_t i) {
        return _cvtsh_ss(load_u16(static_cast<const uint8_t*>(row) + 2 * i));
    }
};

struct BF16Values {
    ASSISTD_AVX2 static __m256 load8(const void* row, int64_t i) {
        const auto* p = static_cast<const uint8_t*>(row) + 2 * i;
        const __m256i wide =
            _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
    }
    static float load1(const void* row, int64_t i) {
        const uint32_t bits = uint32_t{load_u16(static_cast<const uint8_t*>(row) + 2 * i)} << 16;
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
};

template <typename Values>
ASSISTD_AVX2 float dot_elements(const void* row, const float* x, int64_t n) {
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(Values::load8(row, i), _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(Values::load8(row, i + 8), _mm256_loadu_ps(x + i + 8), acc1);
    }
    if (i + 8 <= n) {
        acc0 = _mm256_fmadd_ps(Values::load8(row, i), _mm256_loadu_ps(x + i), acc0);
        i += 8;
    }
    float sum = horizontal_sum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += Values::load1(row, i) * x[i];
    return sum;
}

// The 32 values q of one block (loops unrolled so that q and codes live in registers) (codes minus
// the zero point), as 4 vectors of 8 floats.
template <int kBits, bool kHasMin>
ASSISTD_AVX2 void decode_block(const uint8_t* block, __m256 q[4]) {
    constexpr BlockFormat kFormat{kBits, kHasMin};
    const uint8_t* qs = block + kFormat.qs_offset();
    if constexpr (kBits == 8) {
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(qs + 8 * k));
            q[k] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
        }
        return;
    }
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    const __m128i nibble = _mm_set1_epi8(0x0f);
    const __m128i low = _mm_and_si128(packed, nibble);                      // values 0..15
    const __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), nibble);  // values 16..31
    __m256i codes[4] = {_mm256_cvtepu8_epi32(low), _mm256_cvtepu8_epi32(_mm_srli_si128(low, 8)),
                        _mm256_cvtepu8_epi32(high), _mm256_cvtepu8_epi32(_mm_srli_si128(high, 8))};
    if constexpr (kBits == 5) {
        uint32_t qh;
        std::memcpy(&qh, block + kFormat.qh_offset(), sizeof qh);
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m256i bits =
                _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(qh >> (8 * k))), lane);
            const __m256i fifth =
                _mm256_slli_epi32(_mm256_and_si256(bits, _mm256_set1_epi32(1)), 4);
            codes[k] = _mm256_or_si256(codes[k], fifth);
        }
    }
    const __m256i zero_point = _mm256_set1_epi32(kFormat.zero_point());
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) q[k] = _mm256_cvtepi32_ps(_mm256_sub_epi32(codes[k], zero_point));
}

template <int kBits, bool kHasMin>
ASSISTD_AVX2 float dot_blocks(const void* row, const float* x, int64_t n) {
    constexpr BlockFormat kFormat{kBits, kHasMin};
    const auto* bytes = static_cast<const uint8_t*>(row);
    __m256 acc = _mm256_setzero_ps();
    __m256 acc_min = _mm256_setzero_ps();  // sum over blocks of m * x, "_1" formats only
    for (int64_t b = 0; b < n / kBlockValues; ++b) {
        const uint8_t* block = bytes + b * kFormat.block_bytes();
        const float* xb = x + b * kBlockValues;
        __m256 q[4];
        decode_block<kBits, kHasMin>(block, q);
        const __m256 x0 = _mm256_loadu_ps(xb);
        const __m256 x1 = _mm256_loadu_ps(xb + 8);
        const __m256 x2 = _mm256_loadu_ps(xb + 16);
        const __m256 x3 = _mm256_loadu_ps(xb + 24);
        __m256 qx = _mm256_mul_ps(q[0], x0);
        qx = _mm256_fmadd_ps(q[1], x1, qx);
        qx = _mm256_fmadd_ps(q[2], x2, qx);
        qx = _mm256_fmadd_ps(q[3], x3, qx);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(block))), qx, acc);
        if constexpr (kHasMin) {
            const __m256 x_sum = _mm256_add_ps(_mm256_add_ps(x0, x1), _mm256_add_ps(x2, x3));
            acc_min =
                _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(block + 2))), x_sum, acc_min);
        }
    }
    return horizontal_sum(_mm256_add_ps(acc, acc_min));
}

// One query against `count` cached keys: the float dot of dot_elements<F32Values>, inlined so a
// head's scores cost no call per position.
ASSISTD_AVX2 void row_dots_avx2(const float* rows, int64_t stride, const float* x, int64_t n,
                                int64_t count, float* out) {
    for (int64_t t = 0; t < count; ++t) {
        const float* row = rows + t * stride;
        __m256 acc0 = _mm256_setzero_ps();
        __m256 acc1 = _mm256_setzero_ps();
        int64_t i = 0;
        for (; i + 16 <= n; i += 16) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(x + i), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(row + i + 8), _mm256_loadu_ps(x + i + 8), acc1);
        }
        if (i + 8 <= n) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(x + i), acc0);
            i += 8;
        }
        float sum = horizontal_sum(_mm256_add_ps(acc0, acc1));
        for (; i < n; ++i) sum += row[i] * x[i];
        out[t] = sum;
    }
}

// y += sum_t weights[t] * row t, 32 values of y at a time held in registers across all rows, so
// y is read and written once per call instead of once per row.
ASSISTD_AVX2 void weighted_rows_avx2(const float* rows, int64_t stride, const float* weights,
                                     int64_t count, float* y, int64_t n) {
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256 acc[4];
        for (int k = 0; k < 4; ++k) acc[k] = _mm256_loadu_ps(y + i + 8 * k);
        for (int64_t t = 0; t < count; ++t) {
            const __m256 w = _mm256_set1_ps(weights[t]);
            const float* row = rows + t * stride + i;
            for (int k = 0; k < 4; ++k) {
                acc[k] = _mm256_fmadd_ps(w, _mm256_loadu_ps(row + 8 * k), acc[k]);
            }
        }
        for (int k = 0; k < 4; ++k) _mm256_storeu_ps(y + i + 8 * k, acc[k]);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 acc = _mm256_loadu_ps(y + i);
        for (int64_t t = 0; t < count; ++t) {
            acc = _mm256_fmadd_ps(_mm256_set1_ps(weights[t]),
                                  _mm256_loadu_ps(rows + t * stride + i), acc);
        }
        _mm256_storeu_ps(y + i, acc);
    }
    for (; i < n; ++i) {
        for (int64_t t = 0; t < count; ++t) y[i] = std::fma(weights[t], rows[t * stride + i], y[i]);
    }
}

}  // namespace

AttentionKernels avx2_attention_kernels() {
    return {row_dots_avx2, weighted_rows_avx2};
}

DotFn avx2_dot_function(DType type) {
    switch (type) {
        case DType::F32:
            return dot_elements<F32Values>;
        case DType::F16:
            return dot_elements<F16Values>;
        case DType::BF16:
            return dot_elements<BF16Values>;
        case DType::Q4_0:
            return dot_blocks<4, false>;
        case DType::Q4_1:
            return dot_blocks<4, true>;
        case DType::Q5_0:
            return dot_blocks<5, false>;
        case DType::Q5_1:
            return dot_blocks<5, true>;
        case DType::Q8_0:
            return dot_blocks<8, false>;
        default:
            return nullptr;
    }
}

#else

AttentionKernels avx2_attention_kernels() {
    return {};
}

DotFn avx2_dot_function(DType) {
    return nullptr;
}

#endif

}  // namespace assistd
