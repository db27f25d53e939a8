// Dot kernels for x86-64 CPUs with AVX2, FMA and F16C, compiled for those instructions function
// by function so the rest of the binary still runs on CPUs without them.
#pragma once

#include "engine/tensor/dtype.h"
#include "engine/tensor/quant.h"

namespace assistd {

bool cpu_has_avx2();

// The AVX2 kernel for `type`, or nullptr where there is none. Call only when cpu_has_avx2().
DotFn avx2_dot_function(DType type);

}  // namespace assistd
