#include "engine/tensor/matrix.h"

#include <cassert>

#include "engine/tensor/quant.h"

namespace assistd {
namespace {

struct MatvecTask {
    DotFn dot;
    const Matrix& w;
    size_t stride;  // bytes per row
    const float* x;
    float* y;
};

}  // namespace

void matvec(const Matrix& w, const float* x, float* y, ThreadPool& pool) {
    const MatvecTask task{dot_function(w.type), w, row_bytes(w.type, w.cols), x, y};
    assert(task.dot != nullptr);
    // One captured pointer keeps the lambda inside std::function's small buffer: no allocation.
    pool.parallel_for(w.rows, [t = &task](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            t->y[r] = t->dot(t->w.data + static_cast<size_t>(r) * t->stride, t->x, t->w.cols);
        }
    });
}

void matmul(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool) {
    const auto dot = dot_function(w.type);
    assert(dot != nullptr);
    const size_t stride = row_bytes(w.type, w.cols);
    pool.parallel_for(w.rows, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const uint8_t* row = w.data + static_cast<size_t>(r) * stride;
            for (int64_t i = 0; i < n; ++i) y[i * w.rows + r] = dot(row, x + i * w.cols, w.cols);
        }
    });
}

void get_row(const Matrix& w, int64_t row, float* dst) {
    assert(row >= 0 && row < w.rows);
    dequantize_row(w.type, w.data + static_cast<size_t>(row) * row_bytes(w.type, w.cols), dst,
                   w.cols);
}

}  // namespace assistd
