// The reference K-quant encoders: the same searches as ggml's quantize_row_q{2..6}_K_ref, so that
// a file `assistd quantize` writes decodes as closely to the original as llama.cpp's would.
#pragma once

#include <cstdint>

#include "engine/tensor/k_block_format.h"

namespace assistd {

// Encodes 256 values x into one super-block of `format`.
void quantize_k_block(const KBlockFormat& format, const float* x, uint8_t* block);

}  // namespace assistd
