// A 2-D weight matrix as GGUF stores it, and the products the forward pass takes with it.
#pragma once

#include <cstdint>
#include <span>

#include "engine/tensor/dtype.h"
#include "engine/tensor/thread_pool.h"

namespace assistd {

// `rows` rows of `cols` values each, rows one after another (GGUF ne0 = cols, ne1 = rows).
struct PanelWeights;

struct Matrix {
    DType type;
    int64_t cols;         // ne[0], contiguous; a multiple of the type's block size
    int64_t rows;         // ne[1]
    const uint8_t* data;  // rows * row_bytes(type, cols) bytes
    // The same weights repacked for the panel kernels (panel_format.h), which then take every
    // Int8 product; nullptr where the matrix was not repacked.
    const PanelWeights* panels = nullptr;
};

// How a product meets quantized weights. Float: each weight row is decoded to float and dotted
// with the float activations (exact up to float rounding; what the golden tests hold to). Int8:
// the activations are first quantized to activation_type(w.type) and the dot runs in integers,
// as llama.cpp does (faster; adds the activations' 8-bit rounding). Int8 falls back to Float for
// weight types without an integer path (F32, F16, BF16).
enum class ActivationMode { Float, Int8 };

// y[rows] = W x[cols], rows split across the pool's threads. Needs can_compute(w.type).
void matvec(const Matrix& w, const float* x, float* y, ThreadPool& pool,
            ActivationMode mode = ActivationMode::Float);

// Y = X W^T for a batch of n activations: x holds n rows of w.cols floats, y gets n rows of
// w.rows floats. Weight rows are split across the pool's threads and, a tile of rows at a time,
// each is read from memory once for the whole batch.
void matmul(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool,
            ActivationMode mode = ActivationMode::Float);

// One product of a group whose matrices share their input: y gets W's rows for each input row.
struct Product {
    const Matrix& w;
    float* y;
};

// Y_i = X W_i^T for each product of the group (a layer's Q, K and V projections; its gate and
// up), all matrices of x's row length. Where every matrix has panels (Int8): the input is quantized
// once and the pool makes one pass over all the group's rows, a thread's share running on from
// one matrix into the next; else matmul for each in turn.
void matmul_shared_input(std::span<const Product> products, const float* x, int64_t n,
                         ThreadPool& pool, ActivationMode mode = ActivationMode::Float);

// dst[cols] = row `row` of W as floats (an embedding lookup).
void get_row(const Matrix& w, int64_t row, float* dst);

}  // namespace assistd
