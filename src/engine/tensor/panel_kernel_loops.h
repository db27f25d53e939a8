// The outer loops every decode-style panel kernel shares: the panels' type made a template
// argument once per call, and activation rows taken a chunk at a time through every panel of the
// range, so that the chunk stays in cache while the panels stream past it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "engine/tensor/panel_format.h"
#include "engine/tensor/panel_kernels.h"

namespace assistd {

// A PanelDotFn from a kernel over one panel: Kernel::template dot<kType>(w, panel, a, first, rows,
// out, out_stride) for every panel from panel_begin to panel_end and every chunk of up to
// kChunkRows activation rows from `first`, the panels' type a template argument.
template <class Kernel, int64_t kChunkRows>
void panels_dot(const PanelWeights& w, int64_t panel_begin, int64_t panel_end,
                const PanelActivations& a, int64_t first, int64_t count, float* out,
                size_t out_stride) {
    const auto loop = [&]<DType kType>() {
        for (int64_t i = 0; i < count; i += kChunkRows) {
            const int64_t rows = std::min(kChunkRows, count - i);
            for (int64_t p = panel_begin; p < panel_end; ++p) {
                float* panel_out = out + static_cast<size_t>(i) * out_stride +
                                   static_cast<size_t>((p - panel_begin) * kPanelRows);
                Kernel::template dot<kType>(w, p, a, first + i, rows, panel_out, out_stride);
            }
        }
    };
    switch (w.type) {
        case DType::Q8_0:
            return loop.template operator()<DType::Q8_0>();
        case DType::Q4_1:
            return loop.template operator()<DType::Q4_1>();
        case DType::Q5_1:
            return loop.template operator()<DType::Q5_1>();
        case DType::Q4_K:
            return loop.template operator()<DType::Q4_K>();
        case DType::Q5_K:
            return loop.template operator()<DType::Q5_K>();
        case DType::Q5_0:
            return loop.template operator()<DType::Q5_0>();
        case DType::Q6_K:
            return loop.template operator()<DType::Q6_K>();
        default:
            return loop.template operator()<DType::Q4_0>();
    }
}

}  // namespace assistd
