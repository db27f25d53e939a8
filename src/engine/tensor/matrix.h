// A 2-D weight matrix as GGUF stores it, and the products the forward pass takes with it.
#pragma once

#include <cstdint>

#include "engine/tensor/dtype.h"
#include "engine/tensor/thread_pool.h"

namespace assistd {

// `rows` rows of `cols` values each, rows one after another (GGUF ne0 = cols, ne1 = rows).
struct Matrix {
    DType type;
    int64_t cols;         // ne[0], contiguous; a multiple of the type's block size
    int64_t rows;         // ne[1]
    const uint8_t* data;  // rows * row_bytes(type, cols) bytes
};

// y[rows] = W x[cols], rows split across the pool's threads. Needs can_compute(w.type).
void matvec(const Matrix& w, const float* x, float* y, ThreadPool& pool);

// Y = X W^T for a batch of n activations: x holds n rows of w.cols floats, y gets n rows of
// w.rows floats. Weight rows are split across the pool's threads and each is read once per batch.
void matmul(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool);

// dst[cols] = row `row` of W as floats (an embedding lookup).
void get_row(const Matrix& w, int64_t row, float* dst);

}  // namespace assistd
