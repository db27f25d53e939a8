#include "engine/tensor/activation_quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/tensor/block_format.h"
#include "engine/tensor/cpu_features.h"
#include "engine/tensor/half.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/kernels_avx2.h"
#include "engine/tensor/kernels_avx512.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

constexpr size_t kQ8_1Values = 4;  // byte offset of qs in a Q8_1 block
constexpr size_t kQ8KValues = 4;   // byte offset of qs in a Q8_K block

int64_t integer_dot(const int8_t* a, const int8_t* b, int n) {
    int64_t sum = 0;
    for (int i = 0; i < n; ++i) sum += int64_t{a[i]} * b[i];
    return sum;
}

// 32-value weight blocks against Q8_0 or Q8_1 activation blocks.
double dot_blocks(BlockFormat format, const uint8_t* row, const uint8_t* act, int64_t n) {
    const size_t act_bytes = traits_of(format.has_min ? DType::Q8_1 : DType::Q8_0).type_size;
    const size_t act_values = format.has_min ? kQ8_1Values : 2;  // Q8_0 has no s
    double sum = 0.0;
    for (int64_t b = 0; b < n / kBlockValues; ++b) {
        const BlockValues w = unpack_block(format, row + b * format.block_bytes());
        const uint8_t* a = act + b * act_bytes;
        const auto* qa = reinterpret_cast<const int8_t*>(a + act_values);
        sum += double{w.d} * load_fp16(a) * static_cast<double>(integer_dot(w.q, qa, kBlockValues));
        if (format.has_min) sum += double{w.m} * load_fp16(a + 2);
    }
    return sum;
}

// K-quant super-blocks against Q8_K activation blocks.
double dot_k_blocks(const KBlockFormat& format, const uint8_t* row, const uint8_t* act, int64_t n) {
    const size_t w_bytes = traits_of(format.type).type_size;
    const size_t a_bytes = traits_of(DType::Q8_K).type_size;
    double sum = 0.0;
    for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
        const KBlockValues w = unpack_k_block(format, row + b * w_bytes);
        const uint8_t* a = act + b * a_bytes;
        float d;
        std::memcpy(&d, a, sizeof d);
        const auto* qa = reinterpret_cast<const int8_t*>(a + kQ8KValues);
        int64_t scaled = 0;
        int64_t mins = 0;
        for (int s = 0; s < format.sub_blocks(); ++s) {
            const int begin = s * format.sub_block;
            scaled += w.scale[s] * integer_dot(w.q + begin, qa + begin, format.sub_block);
            int64_t a_sum = 0;
            for (int i = begin; i < begin + format.sub_block; ++i) a_sum += qa[i];
            mins += w.min[s] * a_sum;
        }
        sum += double{d} * (double{w.d} * static_cast<double>(scaled) -
                            double{w.dmin} * static_cast<double>(mins));
    }
    return sum;
}

template <DType kType>
float reference_kernel(const void* row, const void* activation, int64_t n) {
    return quant_dot_row_reference(kType, row, activation, n);
}

QuantDotFn reference_function(DType weight) {
    switch (weight) {
        case DType::Q4_0:
            return reference_kernel<DType::Q4_0>;
        case DType::Q4_1:
            return reference_kernel<DType::Q4_1>;
        case DType::Q5_0:
            return reference_kernel<DType::Q5_0>;
        case DType::Q5_1:
            return reference_kernel<DType::Q5_1>;
        case DType::Q8_0:
            return reference_kernel<DType::Q8_0>;
        case DType::Q2_K:
            return reference_kernel<DType::Q2_K>;
        case DType::Q3_K:
            return reference_kernel<DType::Q3_K>;
        case DType::Q4_K:
            return reference_kernel<DType::Q4_K>;
        case DType::Q5_K:
            return reference_kernel<DType::Q5_K>;
        case DType::Q6_K:
            return reference_kernel<DType::Q6_K>;
        default:
            return nullptr;
    }
}

}  // namespace

DType activation_type(DType weight) {
    if (k_block_format(weight)) return DType::Q8_K;
    const std::optional<BlockFormat> format = block_format(weight);
    if (!format) return DType::F32;
    return format->has_min ? DType::Q8_1 : DType::Q8_0;
}

void quantize_activation(DType type, const float* x, void* dst, int64_t n) {
    static const bool has_avx2 = detect_cpu_features().avx2_fma_f16c();
    if (has_avx2 && avx2_quantize_activation(type, x, dst, n)) return;
    quantize_row(type, x, dst, n);
}

QuantDotFn quant_dot_function(DType weight) {
    static const CpuFeatures cpu = detect_cpu_features();
    if (cpu.avx512_vnni()) {
        if (QuantDotFn fast = avx512_quant_dot_function(weight)) return fast;
    }
    if (cpu.avx2_fma_f16c()) {
        if (QuantDotFn fast = avx2_quant_dot_function(weight)) return fast;
    }
    return reference_function(weight);
}

QuantDotMany quant_dot_many(DType weight) {
    static const CpuFeatures cpu = detect_cpu_features();
    // The many-row kernel must be the one-row kernel's twin: only where quant_dot_function()
    // takes the same instruction set's kernel for this type.
    if (cpu.avx512_vnni()) {
        if (avx512_quant_dot_function(weight) != nullptr) return avx512_quant_dot_many(weight);
    }
    if (cpu.avx2_fma_f16c()) return avx2_quant_dot_many(weight);
    return {};
}

float quant_dot_row_reference(DType weight, const void* row, const void* activation, int64_t n) {
    const auto* w = static_cast<const uint8_t*>(row);
    const auto* a = static_cast<const uint8_t*>(activation);
    if (const std::optional<KBlockFormat> k = k_block_format(weight)) {
        return static_cast<float>(dot_k_blocks(*k, w, a, n));
    }
    return static_cast<float>(dot_blocks(*block_format(weight), w, a, n));
}

void quantize_q8_1_block(const float* x, uint8_t* block) {
    float amax = 0.0f;
    for (int j = 0; j < kBlockValues; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127;
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    int sum = 0;
    auto* qs = reinterpret_cast<int8_t*>(block + kQ8_1Values);
    for (int j = 0; j < kBlockValues; ++j) {
        qs[j] = static_cast<int8_t>(std::round(x[j] * inverse));
        sum += qs[j];
    }
    store_fp16(block, d);
    store_fp16(block + 2, static_cast<float>(sum) * d);
}

void quantize_q8_k_block(const float* x, uint8_t* block) {
    float max = 0.0f;
    float amax = 0.0f;
    for (int j = 0; j < kSuperBlockValues; ++j) {
        if (std::fabs(x[j]) > amax) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    std::memset(block, 0, traits_of(DType::Q8_K).type_size);
    if (amax == 0.0f) return;
    auto* qs = reinterpret_cast<int8_t*>(block + kQ8KValues);
    const float iscale = -127.0f / max;
    for (int j = 0; j < kSuperBlockValues; ++j) {
        qs[j] = static_cast<int8_t>(std::min(127, static_cast<int>(std::nearbyint(iscale * x[j]))));
    }
    int16_t bsums[16];
    for (int s = 0; s < 16; ++s) {
        int sum = 0;
        for (int j = 0; j < 16; ++j) sum += qs[16 * s + j];
        bsums[s] = static_cast<int16_t>(sum);
    }
    std::memcpy(block + kQ8KValues + kSuperBlockValues, bsums, sizeof bsums);
    const float d = 1 / iscale;
    std::memcpy(block, &d, sizeof d);
}

void dequantize_q8_1_block(const uint8_t* block, float* y) {
    const float d = load_fp16(block);
    const auto* qs = reinterpret_cast<const int8_t*>(block + kQ8_1Values);
    for (int j = 0; j < kBlockValues; ++j) y[j] = static_cast<float>(qs[j]) * d;
}

void dequantize_q8_k_block(const uint8_t* block, float* y) {
    float d;
    std::memcpy(&d, block, sizeof d);
    const auto* qs = reinterpret_cast<const int8_t*>(block + kQ8KValues);
    for (int j = 0; j < kSuperBlockValues; ++j) y[j] = static_cast<float>(qs[j]) * d;
}

}  // namespace assistd
