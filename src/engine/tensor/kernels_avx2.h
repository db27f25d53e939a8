// Dot kernels for x86-64 CPUs with AVX2, FMA and F16C, compiled for those instructions function
// by function so the rest of the binary still runs on CPUs without them.
#pragma once

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/dtype.h"
#include "engine/tensor/quant.h"

namespace assistd {

// AVX2, FMA and F16C, all three, which every kernel here assumes.
bool cpu_has_avx2();

// Attention's float loops with AVX2 FMA. Call only when cpu_has_avx2().
AttentionKernels avx2_attention_kernels();

// The AVX2 kernel for `type`, or nullptr where there is none. Call only when cpu_has_avx2().
DotFn avx2_dot_function(DType type);

// The AVX2 integer kernel for weights of `weight` against activation_type(weight), or nullptr.
QuantDotFn avx2_quant_dot_function(DType weight);

// The AVX2 many-row integer kernel for `weight` (reading activations as quantize_activation
// writes them), or an empty one; each row's result is bit for bit avx2_quant_dot_function()'s.
QuantDotMany avx2_quant_dot_many(DType weight);

// Encodes activations to `type` byte for byte as quantize_row does, 8 values at a time; false
// (and nothing written) for types it has no encoder for (only Q8_0 and Q8_K have one).
bool avx2_quantize_activation(DType type, const float* x, void* dst, int64_t n);

}  // namespace assistd
