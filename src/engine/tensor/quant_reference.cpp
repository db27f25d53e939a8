// Scalar decode, encode and dot product for every type can_compute() accepts.
#include "engine/tensor/quant_reference.h"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/block_format.h"
#include "engine/tensor/half.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/k_quantize.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

// The K-quants and the two activation-only formats, a block at a time through a float buffer.
template <typename Visit>
void for_each_wide_block_value(DType type, const uint8_t* bytes, int64_t n, Visit&& visit) {
    const DTypeTraits& traits = traits_of(type);
    assert(n % traits.block_size == 0);
    const std::optional<KBlockFormat> k = k_block_format(type);
    float values[kSuperBlockValues];
    for (int64_t b = 0; b < n / traits.block_size; ++b) {
        const uint8_t* block = bytes + b * traits.type_size;
        if (type == DType::Q8_1) {
            dequantize_q8_1_block(block, values);
        } else if (type == DType::Q8_K) {
            dequantize_q8_k_block(block, values);
        } else {
            const KBlockValues unpacked = unpack_k_block(*k, block);
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int s = v / k->sub_block;
                values[v] = unpacked.d * static_cast<float>(unpacked.scale[s]) *
                                static_cast<float>(unpacked.q[v]) -
                            unpacked.dmin * static_cast<float>(unpacked.min[s]);
            }
        }
        for (int64_t j = 0; j < traits.block_size; ++j) visit(b * traits.block_size + j, values[j]);
    }
}

// Calls visit(i, w_i) for the n values of a row, decoded to float as ggml decodes them.
template <typename Visit>
void for_each_value(DType type, const void* src, int64_t n, Visit&& visit) {
    const auto* bytes = static_cast<const uint8_t*>(src);
    if (type == DType::F32) {
        const auto* values = static_cast<const float*>(src);
        for (int64_t i = 0; i < n; ++i) visit(i, values[i]);
        return;
    }
    if (type == DType::F16 || type == DType::BF16) {
        const auto widen = type == DType::F16 ? fp16_to_fp32 : bf16_to_fp32;
        for (int64_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, bytes + 2 * i, sizeof h);
            visit(i, widen(h));
        }
        return;
    }
    if (type == DType::Q8_1 || type == DType::Q8_K || k_block_format(type)) {
        for_each_wide_block_value(type, bytes, n, visit);
        return;
    }
    const std::optional<BlockFormat> format = block_format(type);
    assert(format && n % kBlockValues == 0);
    for (int64_t b = 0; b < n / kBlockValues; ++b) {
        const BlockValues block = unpack_block(*format, bytes + b * format->block_bytes());
        for (int j = 0; j < kBlockValues; ++j) {
            // Formats without a minimum skip the "+ m": it would turn -0 into +0.
            const float scaled = static_cast<float>(block.q[j]) * block.d;
            visit(b * kBlockValues + j, format->has_min ? scaled + block.m : scaled);
        }
    }
}

// Q8_0: d = amax / 127, q = round(x / d).
BlockValues quantize_8bit(const float* x) {
    float amax = 0.0f;
    for (int j = 0; j < kBlockValues; ++j) amax = std::max(amax, std::fabs(x[j]));
    BlockValues out;
    out.d = amax / 127;
    const float inverse = out.d != 0.0f ? 1.0f / out.d : 0.0f;
    for (int j = 0; j < kBlockValues; ++j)
        out.q[j] = static_cast<int8_t>(std::round(x[j] * inverse));
    return out;
}

// Q4_0, Q5_0: the value of largest magnitude maps to code 0 (-zero_point), keeping its sign.
BlockValues quantize_symmetric(BlockFormat format, const float* x) {
    float amax = 0.0f;
    float max = 0.0f;
    for (int j = 0; j < kBlockValues; ++j) {
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    const int zero = format.zero_point();
    BlockValues out;
    out.d = max / static_cast<float>(-zero);
    const float inverse = out.d != 0.0f ? 1.0f / out.d : 0.0f;
    const float bias = static_cast<float>(zero) + 0.5f;  // rounds by truncation, as ggml does
    for (int j = 0; j < kBlockValues; ++j) {
        const float scaled = x[j] * inverse;
        const int code = std::min(format.max_code(), static_cast<int>(scaled + bias));
        out.q[j] = static_cast<int8_t>(code - zero);
    }
    return out;
}

// Q4_1, Q5_1: the range [min, max] is spread over all codes.
BlockValues quantize_with_min(BlockFormat format, const float* x) {
    float min = FLT_MAX;
    float max = -FLT_MAX;
    for (int j = 0; j < kBlockValues; ++j) {
        min = std::min(min, x[j]);
        max = std::max(max, x[j]);
    }
    BlockValues out;
    out.d = (max - min) / static_cast<float>(format.max_code());
    out.m = min;
    const float inverse = out.d != 0.0f ? 1.0f / out.d : 0.0f;
    for (int j = 0; j < kBlockValues; ++j) {
        const float scaled = (x[j] - min) * inverse;
        out.q[j] =
            static_cast<int8_t>(std::min(format.max_code(), static_cast<int>(scaled + 0.5f)));
    }
    return out;
}

BlockValues quantize_block(BlockFormat format, const float* x) {
    if (format.bits == 8) return quantize_8bit(x);
    return format.has_min ? quantize_with_min(format, x) : quantize_symmetric(format, x);
}

}  // namespace

void dequantize_row(DType type, const void* src, float* dst, int64_t n) {
    for_each_value(type, src, n, [dst](int64_t i, float w) { dst[i] = w; });
}

void quantize_row(DType type, const float* src, void* dst, int64_t n) {
    auto* bytes = static_cast<uint8_t*>(dst);
    if (type == DType::F32) {
        std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
        return;
    }
    if (type == DType::F16 || type == DType::BF16) {
        const auto narrow = type == DType::F16 ? fp32_to_fp16 : fp32_to_bf16;
        for (int64_t i = 0; i < n; ++i) {
            const uint16_t h = narrow(src[i]);
            std::memcpy(bytes + 2 * i, &h, sizeof h);
        }
        return;
    }
    if (const std::optional<KBlockFormat> k = k_block_format(type)) {
        for (int64_t b = 0; b < n / kSuperBlockValues; ++b) {
            quantize_k_block(*k, src + b * kSuperBlockValues,
                             bytes + b * traits_of(type).type_size);
        }
        return;
    }
    if (type == DType::Q8_1 || type == DType::Q8_K) {
        const DTypeTraits& traits = traits_of(type);
        const auto encode = type == DType::Q8_1 ? quantize_q8_1_block : quantize_q8_k_block;
        for (int64_t b = 0; b < n / traits.block_size; ++b) {
            encode(src + b * traits.block_size, bytes + b * traits.type_size);
        }
        return;
    }
    const std::optional<BlockFormat> format = block_format(type);
    assert(format && n % kBlockValues == 0);
    for (int64_t b = 0; b < n / kBlockValues; ++b) {
        const BlockValues block = quantize_block(*format, src + b * kBlockValues);
        pack_block(*format, block, bytes + b * format->block_bytes());
    }
}

float dot_row_reference(DType type, const void* row, const float* x, int64_t n) {
    double sum = 0.0;
    for_each_value(type, row, n, [&sum, x](int64_t i, float w) { sum += double{w} * x[i]; });
    return static_cast<float>(sum);
}

}  // namespace assistd
