// The forward pass's element-wise steps built on exp, vectorized where the CPU has AVX2: each
// costs an exp per value (every attention score, every feed-forward unit), which the C library
// computes one value at a time.
#pragma once

#include <cstdint>

namespace assistd {

// x[i] = softmax(scale * x)[i] over n values, each x[i] first rounded to float as scale * x[i].
void scaled_softmax(float* x, int64_t n, float scale);

// gate[i] = silu(gate[i]) * up[i]: the SwiGLU activation of the feed-forward block.
void swiglu(float* gate, const float* up, int64_t n);

}  // namespace assistd
