// The element-wise and normalization steps of the forward pass, on float vectors.
#pragma once

#include <cstdint>

namespace assistd {

// out = x / rms(x) * weight, where rms(x) = sqrt(mean(x^2) + eps).
void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps);

// How positions turn into angles: pair i of a head is rotated by
//   pos * freq_scale * freq_base^(-2i/n_rot) / freq_factors[i]
// (freq_factors: Llama 3's per-frequency scaling, nullptr for none).
struct Rope {
    int64_t n_rot;  // values of each head rotated; the rest pass through
    float freq_base;
    float freq_scale = 1.0f;
    const float* freq_factors = nullptr;  // (n_rot / 2)
    bool neox = false;                    // pairs (i, i + n_rot/2) instead of (2i, 2i+1)
};

// Rotates each of n_heads vectors of head_dim values to position `pos`, as GGML's rope does.
void rope(float* x, int64_t n_heads, int64_t head_dim, int64_t pos, const Rope& params);

}  // namespace assistd
