#include "engine/tensor/panel_format.h"

#include <sys/mman.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/block_format.h"
#include "engine/tensor/half.h"
#include "engine/tensor/matrix.h"

namespace assistd {
namespace {

constexpr size_t kGroupBytes = kPanelRows * 4;  // one 4-value group of all 16 rows
constexpr size_t kHugePage = size_t{2} << 20;

void free_panels(uint8_t* p) {
    std::free(p);
}

// Value k (0..31) of row r in a block record's codes, and where it goes.
size_t code_byte(int r, int k) {
    return static_cast<size_t>(k / 4) * kGroupBytes + static_cast<size_t>(r) * 4 + k % 4;
}

void put_code(DType type, uint8_t* codes, int r, int k, uint8_t code) {
    if (type == DType::Q8_0) {
        codes[code_byte(r, k)] = code;
        return;
    }
    // Groups 4..7 share the bytes of groups 0..3, in the high nibbles.
    const int group = k / 4;
    uint8_t& byte = codes[code_byte(r, k % 16)];
    byte = static_cast<uint8_t>(group < 4 ? (byte & 0xf0) | code : (byte & 0x0f) | (code << 4));
}

uint8_t get_code(DType type, const uint8_t* codes, int r, int k) {
    if (type == DType::Q8_0) return codes[code_byte(r, k)];
    const uint8_t byte = codes[code_byte(r, k % 16)];
    return k / 4 < 4 ? byte & 0x0f : byte >> 4;
}

}  // namespace

size_t PanelWeights::block_bytes() const {
    return kPanelScaleBytes +
           (type == DType::Q8_0 ? kPanelRows * kBlockValues : kPanelRows * kBlockValues / 2);
}

bool panel_type(DType type) {
    return type == DType::Q4_0 || type == DType::Q8_0;
}

std::unique_ptr<PanelWeights> pack_panels(const Matrix& w) {
    if (!panel_type(w.type)) return nullptr;
    auto p = std::make_unique<PanelWeights>();
    p->type = w.type;
    p->rows = w.rows;
    p->cols = w.cols;
    p->blocks = w.cols / kBlockValues;
    p->panels = (w.rows + kPanelRows - 1) / kPanelRows;
    const size_t bytes = static_cast<size_t>(p->panels * p->blocks) * p->block_bytes();
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    p->data = {static_cast<uint8_t*>(std::aligned_alloc(kHugePage, rounded)), free_panels};
    if (!p->data) return nullptr;
    madvise(p->data.get(), rounded, MADV_HUGEPAGE);
    std::memset(p->data.get(), 0, bytes);

    const BlockFormat format = *block_format(w.type);
    const size_t row_bytes = static_cast<size_t>(p->blocks) * format.block_bytes();
    const int zero = p->zero_point();
    for (int64_t r = 0; r < w.rows; ++r) {
        const int64_t panel = r / kPanelRows;
        const int lane = static_cast<int>(r % kPanelRows);
        for (int64_t b = 0; b < p->blocks; ++b) {
            const uint8_t* src = w.data + static_cast<size_t>(r) * row_bytes +
                                 static_cast<size_t>(b) * format.block_bytes();
            uint8_t* record =
                p->data.get() + (static_cast<size_t>(panel * p->blocks + b)) * p->block_bytes();
            std::memcpy(record + 2 * lane, src, 2);  // the f16 scale as stored
            const BlockValues values = unpack_block(format, src);
            for (int k = 0; k < kBlockValues; ++k) {
                put_code(w.type, record + kPanelScaleBytes, lane, k,
                         static_cast<uint8_t>(values.q[k] + zero));
            }
        }
    }
    return p;
}

size_t panel_activation_bytes(int64_t n) {
    return static_cast<size_t>(n) + static_cast<size_t>(n / kBlockValues) * 8;
}

void quantize_panel_activation(const float* x, uint8_t* dst, int64_t n) {
    constexpr size_t kQ8Block = 34;
    thread_local std::vector<uint8_t> q8;
    q8.resize(static_cast<size_t>(n / kBlockValues) * kQ8Block);
    quantize_activation(DType::Q8_0, x, q8.data(), n);
    const int64_t blocks = n / kBlockValues;
    auto* scales = reinterpret_cast<float*>(dst + n);
    auto* sums = reinterpret_cast<int32_t*>(dst + n + blocks * 4);
    for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t* block = q8.data() + static_cast<size_t>(b) * kQ8Block;
        std::memcpy(dst + b * kBlockValues, block + 2, kBlockValues);
        const float d = load_fp16(block);
        int32_t sum = 0;
        for (int k = 0; k < kBlockValues; ++k) sum += static_cast<int8_t>(block[2 + k]);
        std::memcpy(scales + b, &d, sizeof d);
        std::memcpy(sums + b, &sum, sizeof sum);
    }
}

void panel_dot_reference(const PanelWeights& w, int64_t panel, const uint8_t* activations,
                         size_t stride, int64_t count, float* out, size_t out_stride) {
    const int64_t n = w.cols;
    for (int64_t j = 0; j < count; ++j) {
        const uint8_t* a = activations + static_cast<size_t>(j) * stride;
        const auto* codes = reinterpret_cast<const int8_t*>(a);
        for (int r = 0; r < kPanelRows && panel * kPanelRows + r < w.rows; ++r) {
            float acc = 0.0f;
            for (int64_t b = 0; b < w.blocks; ++b) {
                const uint8_t* record = w.block(panel, b);
                int32_t dot = 0;
                for (int k = 0; k < kBlockValues; ++k) {
                    dot += get_code(w.type, record + kPanelScaleBytes, r, k) *
                           codes[b * kBlockValues + k];
                }
                float d_a;
                int32_t sum_a;
                std::memcpy(&d_a, a + n + b * 4, sizeof d_a);
                std::memcpy(&sum_a, a + n + w.blocks * 4 + b * 4, sizeof sum_a);
                const int32_t exact = dot - w.zero_point() * sum_a;
                acc = std::fma(static_cast<float>(exact), load_fp16(record + 2 * r) * d_a, acc);
            }
            out[static_cast<size_t>(j) * out_stride + static_cast<size_t>(r)] = acc;
        }
    }
}

}  // namespace assistd
