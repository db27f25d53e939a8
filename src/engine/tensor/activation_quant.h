// The integer path of a matrix-vector product, as llama.cpp takes it: the activation vector is
// quantized once to 8 bits in the format ggml pairs with the weight type, and each weight row is
// then dotted with it in integer arithmetic, scaled once per block.
//
//   weights Q4_0, Q5_0, Q8_0 -> Q8_0 {f16 d; int8 qs[32]}
//   weights Q4_1, Q5_1       -> Q8_1 {f16 d; f16 s = d * sum(qs); int8 qs[32]}
//   weights Q2_K .. Q6_K     -> Q8_K {float d; int8 qs[256]; int16 bsums[16]}
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/tensor/dtype.h"

namespace assistd {

// The activation format for `weight`; F32 where the weight type has no integer path.
DType activation_type(DType weight);

// Encodes n activations to `type` (an activation_type()), as quantize_row does but with SIMD.
void quantize_activation(DType type, const float* x, void* dst, int64_t n);

// sum_i w_i * a_i for one weight row and an activation row quantized to activation_type(weight).
using QuantDotFn = float (*)(const void* row, const void* activation, int64_t n);

// The fastest integer kernel this CPU runs for `weight`; nullptr where there is no integer path.
QuantDotFn quant_dot_function(DType weight);

// The dot of one weight row with `count` activation rows `stride` bytes apart, written to
// out[j * out_stride] for row j.
using QuantDotManyFn = void (*)(const void* row, const void* activations, size_t stride,
                                int64_t count, int64_t n, float* out, size_t out_stride);

// A kernel that multiplies one weight row with many activation rows, unpacking each weight block
// once for all of them, and the activation layout it reads: `pack` converts a row from the layout
// quantize_activation() writes into `row_bytes(n)` bytes (nullptr: it reads that layout as is).
// Each result is bit for bit what quant_dot_function() gives for that activation row alone, so
// batching never changes a sequence's numbers.
struct QuantDotMany {
    QuantDotManyFn dot = nullptr;
    size_t (*row_bytes)(int64_t n) = nullptr;
    void (*pack)(const void* quantized, void* packed, int64_t n) = nullptr;
};

// The many-row kernel this CPU runs for `weight`; dot is nullptr where there is none (then take
// quant_dot_function() row by row).
QuantDotMany quant_dot_many(DType weight);

// The integer dot in plain C++, accumulated exactly, the yardstick for the SIMD kernels.
float quant_dot_row_reference(DType weight, const void* row, const void* activation, int64_t n);

// Block encoders and decoders of the two activation-only formats (Q8_0 is a block_format).
void quantize_q8_1_block(const float* x, uint8_t* block);
void quantize_q8_k_block(const float* x, uint8_t* block);
void dequantize_q8_1_block(const uint8_t* block, float* y);
void dequantize_q8_k_block(const uint8_t* block, float* y);

}  // namespace assistd
