#include "engine/tensor/matrix.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/panel_kernels.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

// Weight bytes a thread works through for the whole batch before moving on: small enough to stay
// in its L2 cache while every activation passes over them.
constexpr size_t kTileBytes = 256 * 1024;

// The smallest piece of a product a thread takes: a few KB of weights even for short rows.
constexpr int64_t kMinRowsPerPiece = 16;

// Activation rows one many-row kernel call takes: a handful of 8-bit rows (a few KB each) stays in
// L1 while a tile of weight rows passes over them.
constexpr int64_t kActivationGroup = 8;

// One product in either mode: the kernel, and the activations in the form it takes.
struct RowDot {
    DotFn float_dot = nullptr;       // ActivationMode::Float
    QuantDotFn quant_dot = nullptr;  // ActivationMode::Int8, one activation row
    QuantDotManyFn quant_dot_many =
        nullptr;  // ActivationMode::Int8, a batch, where the CPU has one
    const void* activations = nullptr;
    size_t activation_stride = 0;  // bytes from one activation row to the next

    const uint8_t* activation(int64_t i) const {
        return static_cast<const uint8_t*>(activations) +
               static_cast<size_t>(i) * activation_stride;
    }

    float operator()(const uint8_t* row, int64_t i, int64_t n) const {
        if (quant_dot) return quant_dot(row, activation(i), n);
        return float_dot(row, reinterpret_cast<const float*>(activation(i)), n);
    }
};

// Quantizes the batch's activations once per call, into a buffer reused across calls.
RowDot prepare(const Matrix& w, const float* x, int64_t n, ActivationMode mode) {
    const DType act = activation_type(w.type);
    if (mode == ActivationMode::Float || act == DType::F32) {
        RowDot dot{dot_function(w.type), nullptr, nullptr, x,
                   static_cast<size_t>(w.cols) * sizeof(float)};
        assert(dot.float_dot != nullptr);
        return dot;
    }
    thread_local std::vector<uint8_t> quantized;
    const size_t stride = row_bytes(act, w.cols);
    const QuantDotMany many = quant_dot_many(w.type);
    // Where the CPU has a many-row kernel it takes every product, a lone activation row too:
    // its activation layout is also the faster one to read.
    if (many.dot != nullptr) {
        const size_t packed_stride = many.row_bytes(w.cols);
        thread_local std::vector<uint8_t> packed;
        packed.resize(packed_stride * static_cast<size_t>(n));
        quantized.resize(many.pack ? stride : 0);
        for (int64_t i = 0; i < n; ++i) {
            uint8_t* row = packed.data() + static_cast<size_t>(i) * packed_stride;
            if (many.pack == nullptr) {
                quantize_activation(act, x + i * w.cols, row, w.cols);
                continue;
            }
            quantize_activation(act, x + i * w.cols, quantized.data(), w.cols);
            many.pack(quantized.data(), row, w.cols);
        }
        return RowDot{nullptr, nullptr, many.dot, packed.data(), packed_stride};
    }
    quantized.resize(stride * static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        quantize_activation(act, x + i * w.cols, quantized.data() + static_cast<size_t>(i) * stride,
                            w.cols);
    }
    return RowDot{nullptr, quant_dot_function(w.type), nullptr, quantized.data(), stride};
}

struct ProductTask {
    const Matrix& w;
    size_t stride;  // weight bytes per row
    RowDot dot;
    int64_t n;  // activations
    float* y;
};

void run_rows(const ProductTask& t, int64_t begin, int64_t end) {
    if (t.n == 1 && !t.dot.quant_dot_many) {
        for (int64_t r = begin; r < end; ++r)
            t.y[r] = t.dot(t.w.data + static_cast<size_t>(r) * t.stride, 0, t.w.cols);
        return;
    }
    const int64_t tile = std::max<int64_t>(1, static_cast<int64_t>(kTileBytes / t.stride));
    for (int64_t tile_begin = begin; tile_begin < end; tile_begin += tile) {
        const int64_t tile_end = std::min(end, tile_begin + tile);
        if (t.dot.quant_dot_many) {
            for (int64_t i = 0; i < t.n; i += kActivationGroup) {
                const int64_t count = std::min(kActivationGroup, t.n - i);
                for (int64_t r = tile_begin; r < tile_end; ++r) {
                    t.dot.quant_dot_many(t.w.data + static_cast<size_t>(r) * t.stride,
                                         t.dot.activation(i), t.dot.activation_stride, count,
                                         t.w.cols, t.y + i * t.w.rows + r,
                                         static_cast<size_t>(t.w.rows));
                }
            }
            continue;
        }
        for (int64_t i = 0; i < t.n; ++i) {
            for (int64_t r = tile_begin; r < tile_end; ++r) {
                t.y[i * t.w.rows + r] =
                    t.dot(t.w.data + static_cast<size_t>(r) * t.stride, i, t.w.cols);
            }
        }
    }
}

// Products through the panel kernels: the shared input quantized once, rows in parallel; then each
// thread takes whole panels of 16 weight rows from the products' panels laid end to end.
struct PanelTask {
    std::span<const Product> products;
    PanelDotFn kernel;
    const float* x;
    PanelActivations& a;

    void quantize(int64_t begin, int64_t end) const {
        const int64_t cols = products.front().w.cols;
        for (int64_t i = begin; i < end; ++i) a.quantize(i, x + i * cols);
    }

    void run(int64_t begin, int64_t end) const {
        int64_t first = 0;  // of the product's panels, end to end
        for (const Product& product : products) {
            const PanelWeights& w = *product.w.panels;
            const int64_t from = std::max(begin, first) - first;
            const int64_t to = std::min(end, first + w.panels) - first;
            if (from < to) {
                kernel(w, from, to, a, 0, a.rows(), product.y + from * kPanelRows,
                       static_cast<size_t>(w.rows));
            }
            first += w.panels;
        }
    }
};

void panel_products(std::span<const Product> products, PanelDotFn kernel, const float* x, int64_t n,
                    ThreadPool& pool) {
    const int64_t cols = products.front().w.cols;
    thread_local std::vector<uint8_t> buffer;
    buffer.resize(PanelActivations::bytes(cols, n));
    PanelActivations a(buffer.data(), cols, n);
    const PanelTask task{products, kernel, x, a};
    pool.parallel_for(n, [t = &task](int64_t begin, int64_t end) { t->quantize(begin, end); });
    int64_t panels = 0;
    for (const Product& product : products) panels += product.w.panels->panels;
    // Pieces of an even number of panels: the AMX kernel takes them two at a time.
    pool.parallel_for_guided(panels, 2,
                             [t = &task](int64_t begin, int64_t end) { t->run(begin, end); });
}

// The panel kernel where every product of a group can take it, else nullptr.
PanelDotFn panel_kernel_for(std::span<const Product> products, ActivationMode mode) {
    if (mode != ActivationMode::Int8) return nullptr;
    for (const Product& product : products) {
        if (product.w.panels == nullptr) return nullptr;
    }
    return panel_dot_function();
}

void product(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool,
             ActivationMode mode) {
    const Product alone[] = {{w, y}};
    if (PanelDotFn kernel = panel_kernel_for(alone, mode))
        return panel_products(alone, kernel, x, n, pool);
    const ProductTask task{w, row_bytes(w.type, w.cols), prepare(w, x, n, mode), n, y};
    // One captured pointer keeps the lambda inside std::function's small buffer: no allocation.
    pool.parallel_for_guided(w.rows, kMinRowsPerPiece,
                             [t = &task](int64_t begin, int64_t end) { run_rows(*t, begin, end); });
}

}  // namespace

void matvec(const Matrix& w, const float* x, float* y, ThreadPool& pool, ActivationMode mode) {
    product(w, x, 1, y, pool, mode);
}

void matmul(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool,
            ActivationMode mode) {
    product(w, x, n, y, pool, mode);
}

void matmul_shared_input(std::span<const Product> products, const float* x, int64_t n,
                         ThreadPool& pool, ActivationMode mode) {
    if (products.empty()) return;
    if (PanelDotFn kernel = panel_kernel_for(products, mode))
        return panel_products(products, kernel, x, n, pool);
    for (const Product& p : products) product(p.w, x, n, p.y, pool, mode);
}

void get_row(const Matrix& w, int64_t row, float* dst) {
    assert(row >= 0 && row < w.rows);
    dequantize_row(w.type, w.data + static_cast<size_t>(row) * row_bytes(w.type, w.cols), dst,
                   w.cols);
}

}  // namespace assistd
