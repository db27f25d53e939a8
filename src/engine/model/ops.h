// The element-wise and normalization steps of the forward pass, on float vectors.
#pragma once

#include <cstdint>

namespace assistd {

// out = x / rms(x) * weight, where rms(x) = sqrt(mean(x^2) + eps).
void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps);

// Rotates the first n_rot values of each of n_heads vectors of head_dim values in adjacent pairs
// (2i, 2i+1) by pos * base^(-2i/n_rot): GGML's "normal" RoPE mode, the one llama files use.
void rope_normal(float* x, int64_t n_heads, int64_t head_dim, int64_t n_rot, int64_t pos,
                 float freq_base);

// In-place softmax over n values.
void softmax(float* x, int64_t n);

// gate[i] = silu(gate[i]) * up[i]: the SwiGLU activation of the feed-forward block.
void swiglu(float* gate, const float* up, int64_t n);

}  // namespace assistd
