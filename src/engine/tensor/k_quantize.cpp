// Each encoder first fits a float scale (and minimum) per sub-block with a small search, then
// quantizes those scales to the format's 4, 6 or 8 bits against one super-block factor, and
// finally re-rounds every value against the scale as it will be decoded. The arithmetic stays in
// float, in ggml's order, because the searches compare sums and a double would pick differently.
#include "engine/tensor/k_quantize.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "engine/tensor/half.h"

namespace assistd {
namespace {

// Below this a group is treated as all zeros (ggml's GROUP_MAX_EPS).
constexpr float kGroupMaxEps = 1e-15f;

int nearest_int(float value) {
    return static_cast<int>(std::nearbyint(value));  // ties to even, as ggml's bit trick
}

float as_stored_half(float value) {
    return fp16_to_fp32(fp32_to_fp16(value));
}

// The value of largest magnitude, with its sign.
float signed_absmax(const float* x, int n) {
    float max = 0.0f;
    float amax = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            max = x[i];
        }
    }
    return max;
}

// Rounds x * iscale to codes l in [-nmax, nmax) (stored to L when given) and returns the
// x^2-weighted sums (sum w x l, sum w l^2) that a least-squares scale is their quotient of.
std::pair<float, float> symmetric_sums(int n, int nmax, const float* x, float iscale, int8_t* L) {
    float sumlx = 0.0f;
    float suml2 = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = std::clamp(nearest_int(iscale * x[i]), -nmax, nmax - 1);
        if (L != nullptr) L[i] = static_cast<int8_t>(l);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * static_cast<float>(l);
        suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
    return {sumlx, suml2};
}

// Symmetric codes l in [-nmax, nmax) with x ~ scale * l, weighting each value by x^2, trying 19
// scales around nmax / max (ggml's make_qx_quants, rmse_type 1). L[i] = l + nmax.
float fit_symmetric(int n, int nmax, const float* x, int8_t* L) {
    const float max = signed_absmax(x, n);
    if (std::fabs(max) < kGroupMaxEps) {
        std::fill(L, L + n, 0);
        return 0.0f;
    }
    const auto assign = [&](float iscale) {
        for (int i = 0; i < n; ++i) {
            L[i] =
                static_cast<int8_t>(nmax + std::clamp(nearest_int(iscale * x[i]), -nmax, nmax - 1));
        }
    };
    float iscale = static_cast<float>(-nmax) / max;
    float sumlx, suml2;
    std::tie(sumlx, suml2) = symmetric_sums(n, nmax, x, iscale, nullptr);
    assign(iscale);
    float scale = sumlx / suml2;
    float best = scale * sumlx;
    for (int step = -9; step <= 9; ++step) {
        if (step == 0) continue;
        iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(step)) / max;
        std::tie(sumlx, suml2) = symmetric_sums(n, nmax, x, iscale, nullptr);
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            assign(iscale);
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

// Q3_K's fit: symmetric codes in [-nmax, nmax), then up to 5 passes moving single codes while the
// x^2-weighted error falls (ggml's make_q3_quants with do_rmse). L[i] = l + nmax.
float fit_symmetric_refined(int n, int nmax, const float* x, int8_t* L) {
    const float max = signed_absmax(x, n);
    if (std::fabs(max) < kGroupMaxEps) {
        std::fill(L, L + n, 0);
        return 0.0f;
    }
    float sumlx, suml2;
    std::tie(sumlx, suml2) = symmetric_sums(n, nmax, x, static_cast<float>(-nmax) / max, L);
    for (int pass = 0; pass < 5; ++pass) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = x[i] * x[i];
            const auto old_l = static_cast<float>(L[i]);
            float slx = sumlx - w * x[i] * old_l;
            if (slx <= 0) continue;
            float sl2 = suml2 - w * old_l * old_l;
            const int new_l = std::clamp(nearest_int(x[i] * sl2 / slx), -nmax, nmax - 1);
            if (new_l == L[i]) continue;
            slx += w * x[i] * static_cast<float>(new_l);
            sl2 += w * static_cast<float>(new_l) * static_cast<float>(new_l);
            if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                L[i] = static_cast<int8_t>(new_l);
                sumlx = slx;
                suml2 = sl2;
                ++changed;
            }
        }
        if (changed == 0) break;
    }
    for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(L[i] + nmax);
    return sumlx / suml2;
}

struct AsymmetricSearch {
    float rmin, rdelta;
    int steps;
    bool absolute_error;  // weigh |error| rather than error^2
};

// Codes l in [0, nmax] with x ~ scale * l - min (min >= 0), fitted by weighted least squares over
// a range of candidate scales (ggml's make_qkx2_quants). Returns scale; *min_out gets min.
float fit_asymmetric(int n, int nmax, const float* x, const float* weights, uint8_t* L,
                     float* min_out, const AsymmetricSearch& search) {
    float min = x[0];
    float max = x[0];
    float sum_w = weights[0];
    float sum_x = sum_w * x[0];
    for (int i = 1; i < n; ++i) {
        min = std::min(min, x[i]);
        max = std::max(max, x[i]);
        sum_w += weights[i];
        sum_x += weights[i] * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        std::fill(L, L + n, 0);
        *min_out = -min;
        return 0.0f;
    }
    const auto error = [&](float scale, float offset, const uint8_t* codes) {
        float total = 0.0f;
        for (int i = 0; i < n; ++i) {
            const float diff = scale * static_cast<float>(codes[i]) + offset - x[i];
            total += weights[i] * (search.absolute_error ? std::fabs(diff) : diff * diff);
        }
        return total;
    };
    const auto codes_for = [&](float iscale, float offset, uint8_t* codes) {
        for (int i = 0; i < n; ++i) {
            codes[i] =
                static_cast<uint8_t>(std::clamp(nearest_int(iscale * (x[i] - offset)), 0, nmax));
        }
    };
    float iscale = static_cast<float>(nmax) / (max - min);
    float scale = 1 / iscale;
    codes_for(iscale, min, L);
    float best_error = error(scale, min, L);
    uint8_t candidate[32];
    for (int step = 0; step <= search.steps; ++step) {
        iscale =
            (search.rmin + search.rdelta * static_cast<float>(step) + static_cast<float>(nmax)) /
            (max - min);
        codes_for(iscale, min, candidate);
        float sum_l = 0.0f, sum_l2 = 0.0f, sum_xl = 0.0f;
        for (int i = 0; i < n; ++i) {
            const auto l = static_cast<float>(candidate[i]);
            sum_l += weights[i] * l;
            sum_l2 += weights[i] * l * l;
            sum_xl += weights[i] * l * x[i];
        }
        const float det = sum_w * sum_l2 - sum_l * sum_l;
        if (det <= 0) continue;
        float this_scale = (sum_w * sum_xl - sum_x * sum_l) / det;
        float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / det;
        if (this_min > 0) {
            this_min = 0;
            this_scale = sum_xl / sum_l2;
        }
        const float this_error = error(this_scale, this_min, candidate);
        if (this_error < best_error) {
            std::copy(candidate, candidate + n, L);
            best_error = this_error;
            scale = this_scale;
            min = this_min;
        }
    }
    *min_out = -min;
    return scale;
}

// Re-rounds the values of sub-block s against its decoded scale; keeps the fitted codes where
// the scale decodes to zero, as ggml does.
void requantize_sub_block(const KBlockFormat& format, const float* x, int s, const uint8_t* fitted,
                          int fitted_zero, KBlockValues& out) {
    const float d = out.d * static_cast<float>(out.scale[s]);
    const float dm = out.dmin * static_cast<float>(out.min[s]);
    for (int i = s * format.sub_block; i < (s + 1) * format.sub_block; ++i) {
        int l = fitted[i] - fitted_zero;
        if (d != 0.0f) l = std::clamp(nearest_int((x[i] + dm) / d), format.q_min, format.q_max);
        out.q[i] = static_cast<int8_t>(l);
    }
}

// Q2_K, Q4_K, Q5_K: per sub-block scale and min, quantized to `scale_max` steps of d and dmin.
KBlockValues quantize_with_mins(const KBlockFormat& format, const float* x) {
    const int n = format.sub_block;
    const bool two_bit = format.type == DType::Q2_K;
    const int scale_max = two_bit ? 15 : 63;
    const AsymmetricSearch search = format.type == DType::Q4_K
                                        ? AsymmetricSearch{-1.0f, 0.1f, 20, false}
                                    : two_bit ? AsymmetricSearch{-0.5f, 0.1f, 15, true}
                                              : AsymmetricSearch{-0.5f, 0.1f, 15, false};
    uint8_t L[kSuperBlockValues];
    float scales[16];
    float mins[16];
    float max_scale = 0.0f;
    float max_min = 0.0f;
    for (int s = 0; s < format.sub_blocks(); ++s) {
        const float* xs = x + s * n;
        float weights[32] = {};
        if (two_bit) {
            for (int i = 0; i < n; ++i) weights[i] = std::fabs(xs[i]);
        } else {
            float sum_x2 = 0.0f;
            for (int i = 0; i < n; ++i) sum_x2 += xs[i] * xs[i];
            const float av_x = std::sqrt(sum_x2 / static_cast<float>(n));
            for (int i = 0; i < n; ++i) weights[i] = av_x + std::fabs(xs[i]);
        }
        scales[s] = fit_asymmetric(n, format.q_max, xs, weights, L + s * n, &mins[s], search);
        max_scale = std::max(max_scale, scales[s]);
        max_min = std::max(max_min, mins[s]);
    }
    KBlockValues out;
    const float inv_scale = max_scale > 0 ? static_cast<float>(scale_max) / max_scale : 0.0f;
    const float inv_min = max_min > 0 ? static_cast<float>(scale_max) / max_min : 0.0f;
    for (int s = 0; s < format.sub_blocks(); ++s) {
        out.scale[s] = static_cast<int8_t>(std::min(scale_max, nearest_int(inv_scale * scales[s])));
        out.min[s] = static_cast<uint8_t>(std::min(scale_max, nearest_int(inv_min * mins[s])));
    }
    out.d = as_stored_half(max_scale / static_cast<float>(scale_max));
    out.dmin = as_stored_half(max_min / static_cast<float>(scale_max));
    for (int s = 0; s < format.sub_blocks(); ++s) requantize_sub_block(format, x, s, L, 0, out);
    return out;
}

// Q3_K (16 signed 6-bit scales, codes in [-4, 3]) and Q6_K (16 int8 scales, codes in [-32, 31]):
// one d, no minimum.
KBlockValues quantize_symmetric_k(const KBlockFormat& format, const float* x) {
    const bool six_bit_codes = format.type == DType::Q6_K;
    const int nmax = -format.q_min;
    const int scale_steps = six_bit_codes ? 128 : 32;  // the scales' negative range
    int8_t L[kSuperBlockValues];
    float scales[16];
    for (int s = 0; s < 16; ++s) {
        scales[s] = six_bit_codes ? fit_symmetric(16, nmax, x + 16 * s, L + 16 * s)
                                  : fit_symmetric_refined(16, nmax, x + 16 * s, L + 16 * s);
    }
    const float max_scale = signed_absmax(scales, 16);
    KBlockValues out;
    // ggml holds Q6_K's largest scale to its epsilon and Q3_K's to exact zero; either way the
    // block is stored as all-zero bytes.
    if (six_bit_codes ? std::fabs(max_scale) < kGroupMaxEps : max_scale == 0.0f) {
        std::fill(out.q, out.q + kSuperBlockValues, static_cast<int8_t>(format.q_min));
        if (!six_bit_codes) std::fill(out.scale, out.scale + 16, int8_t{-32});
        return out;
    }
    const float iscale = static_cast<float>(-scale_steps) / max_scale;
    for (int s = 0; s < 16; ++s) {
        out.scale[s] =
            static_cast<int8_t>(std::min(scale_steps - 1, nearest_int(iscale * scales[s])));
    }
    out.d = as_stored_half(1 / iscale);
    for (int s = 0; s < 16; ++s) {
        requantize_sub_block(format, x, s, reinterpret_cast<const uint8_t*>(L), nmax, out);
    }
    return out;
}

}  // namespace

void quantize_k_block(const KBlockFormat& format, const float* x, uint8_t* block) {
    const KBlockValues values =
        format.has_min ? quantize_with_mins(format, x) : quantize_symmetric_k(format, x);
    pack_k_block(format, values, block);
}

}  // namespace assistd
