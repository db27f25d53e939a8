// The kernels over panel_format.h's layout, and which of them this CPU runs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/tensor/panel_format.h"

namespace assistd {

// Weight rows of panels panel_begin .. panel_end - 1 times activation rows first .. first +
// count - 1: out[j * out_stride + r] for the rows r from panel_begin's first that exist (the
// padding rows are not written). A kernel takes the activation rows a few hundred KB at a time,
// so that they stay in L2 while the panels pass over them.
using PanelDotFn = void (*)(const PanelWeights& w, int64_t panel_begin, int64_t panel_end,
                            const PanelActivations& a, int64_t first, int64_t count, float* out,
                            size_t out_stride);

// The fastest panel kernel this CPU runs (AMX tiles from sixteen activation rows on, where the CPU
// and the OS allow them; AVX-512 VNNI for fewer rows, for Q6_K, and where there is no AMX; AVX2
// without AVX-512 VNNI); nullptr below AVX2, where matrices stay in GGUF's layout.
PanelDotFn panel_dot_function();

// The AVX-512 VNNI kernel, the AMX one and the AVX2 one, for tests that hold them to each other;
// nullptr where the CPU (or, for AMX, the OS) cannot run them.
PanelDotFn avx512_panel_dot();
PanelDotFn amx_panel_dot();
PanelDotFn avx2_panel_dot();

// One activation row into its panel slots (quantize_panel_row_reference's bits).
using PanelQuantizeFn = void (*)(const float* x, int64_t blocks, const PanelRowSlots& slots);

// The AVX-512 one (nullptr without AVX-512 VNNI) and the AVX2 one (nullptr without AVX2).
PanelQuantizeFn avx512_panel_quantize();
PanelQuantizeFn avx2_panel_quantize();

}  // namespace assistd
