#include "engine/model/ops.h"

#include <algorithm>
#include <cmath>

namespace assistd {

void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps) {
    // Accumulate in double, as GGML does, so long rows do not lose precision.
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
    const float scale = 1.0f / std::sqrt(static_cast<float>(sum / n) + eps);
    for (int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

void rope(float* x, int64_t n_heads, int64_t head_dim, int64_t pos, const Rope& params) {
    // The angle is advanced by repeated multiplication, in float, exactly as GGML's rope cache
    // does, so positions far into the context round the same way as llama.cpp.
    const int64_t n_pairs = params.n_rot / 2;
    const float theta_scale = std::pow(params.freq_base, -2.0f / static_cast<float>(params.n_rot));
    // The pair (first, second) of pair index i: adjacent values, or the two halves (NeoX).
    const int64_t first_step = params.neox ? 1 : 2;
    const int64_t second_offset = params.neox ? n_pairs : 1;
    for (int64_t h = 0; h < n_heads; ++h) {
        float* v = x + h * head_dim;
        float theta_extrap = static_cast<float>(pos);
        for (int64_t i = 0; i < n_pairs; ++i) {
            const float factor = params.freq_factors ? params.freq_factors[i] : 1.0f;
            const float theta = params.freq_scale * (theta_extrap / factor);
            const float c = std::cos(theta);
            const float s = std::sin(theta);
            float& x0 = v[i * first_step];
            float& x1 = v[i * first_step + second_offset];
            const float a = x0;
            const float b = x1;
            x0 = a * c - b * s;
            x1 = a * s + b * c;
            theta_extrap *= theta_scale;
        }
    }
}

}  // namespace assistd
