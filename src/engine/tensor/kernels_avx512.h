// Integer dot kernels for x86-64 CPUs with AVX-512 (F, BW, VL) and VNNI. Q4_0, Q5_0 and Q8_0:
// two 32-value blocks per 512-bit register and one vpdpbusd per 64 byte products; Q4_K and Q6_K:
// 64 codes per register, vpmaddubsw then vpdpwssd with the sub-block scales. Types without one
// here fall back to the AVX2 kernels.
#pragma once

#include <cstdint>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/dtype.h"

namespace assistd {

// The AVX-512 integer kernel for `weight`, or nullptr. Call only when the CPU has AVX-512 VNNI.
QuantDotFn avx512_quant_dot_function(DType weight);

// The same products over many activation rows, each weight block unpacked once for all of them;
// no kernel where avx512_quant_dot_function() is nullptr.
QuantDotMany avx512_quant_dot_many(DType weight);

// Attention's weighted sum of values (AttentionKernels::weighted_rows) with AVX-512 registers.
using WeightedRowsFn = void (*)(const float* rows, int64_t stride, const float* weights,
                                int64_t count, float* y, int64_t n);
WeightedRowsFn avx512_weighted_rows();

// Attention's query-key dots (AttentionKernels::row_dots) with AVX-512 registers.
using RowDotsFn = void (*)(const float* rows, int64_t stride, const float* x, int64_t n,
                           int64_t count, float* out);
RowDotsFn avx512_row_dots();

}  // namespace assistd
