// The scalar reference kernels: plain C++ that any CPU runs, the yardstick for the SIMD kernels.
#pragma once

#include <cstdint>

#include "engine/tensor/dtype.h"

namespace assistd {

// dot_row without SIMD, accumulated in double so tests can hold optimized kernels to it.
float dot_row_reference(DType type, const void* row, const float* x, int64_t n);

}  // namespace assistd
