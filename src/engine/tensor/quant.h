// Rows of tensor elements: decode, encode and dot products, for the types the engine computes on.
//
// A row holds `n` values; for the block formats n must be a multiple of the block size (32, or
// 256 for the K-quants). Rows are byte buffers laid out exactly as GGUF stores them (see
// block_format.h and k_block_format.h). The integer path, for quantized weights times 8-bit
// activations, is in activation_quant.h.
#pragma once

#include <cstdint>

#include "engine/tensor/dtype.h"

namespace assistd {

// True for F32, F16, BF16, the 32-value block formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1) and
// the K-quants (Q2_K .. Q6_K, Q8_K); the functions below need it.
bool can_compute(DType type);

void dequantize_row(DType type, const void* src, float* dst, int64_t n);

// Encodes as ggml's reference quantizers (quantize_row_*_ref) do, byte for byte, so that files
// written by `assistd quantize` match llama.cpp's.
void quantize_row(DType type, const float* src, void* dst, int64_t n);

// sum_i w_i * x_i with the weights w dequantized to float; the fastest kernel this CPU runs
// (SIMD for the float types and the 32-value formats; the K-quants use the scalar reference,
// their fast path being the integer one).
float dot_row(DType type, const void* row, const float* x, int64_t n);

// The kernel dot_row uses for `type`, to pick once outside a loop over rows; nullptr when
// !can_compute(type).
using DotFn = float (*)(const void* row, const float* x, int64_t n);
DotFn dot_function(DType type);

// Attention's two float loops over `count` rows `stride` floats apart (cached keys or values of
// one head, consecutive positions of a KV block):
//   row_dots:      out[t] = sum_i rows[t * stride + i] * x[i]          (scores of one query)
//   weighted_rows: y[i] += sum_t weights[t] * rows[t * stride + i]     (the weighted sum of values)
struct AttentionKernels {
    void (*row_dots)(const float* rows, int64_t stride, const float* x, int64_t n, int64_t count,
                     float* out) = nullptr;
    void (*weighted_rows)(const float* rows, int64_t stride, const float* weights, int64_t count,
                          float* y, int64_t n) = nullptr;
};
// The fastest this CPU runs, to pick once outside a loop.
AttentionKernels attention_kernels();

}  // namespace assistd
