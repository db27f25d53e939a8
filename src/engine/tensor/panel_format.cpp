#include "engine/tensor/panel_format.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "engine/tensor/activation_quant.h"
#include "engine/tensor/block_format.h"
#include "engine/tensor/half.h"
#include "engine/tensor/k_block_format.h"
#include "engine/tensor/matrix.h"
#include "engine/tensor/panel_kernels.h"

namespace assistd {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// Value k (0..31) of row r in a block record's codes, and where it goes.
size_t code_byte(int r, int k) {
    return static_cast<size_t>(k / 4) * kPanelGroupBytes + static_cast<size_t>(r) * 4 + k % 4;
}

// Row r's 32 unsigned codes of one block into a record's codes: whole bytes (Q8_0), or nibbles
// (group q + 4 in the high nibble of group q's byte) and the planes of the bits above them.
void put_block(DType type, uint8_t* codes, int r, const uint8_t (&code)[kBlockValues]) {
    uint8_t* lane = codes + static_cast<size_t>(r) * 4;
    if (type == DType::Q8_0) {
        for (int q = 0; q < kPanelGroups; ++q)
            std::memcpy(lane + q * kPanelGroupBytes, code + 4 * q, 4);
        return;
    }
    for (int q = 0; q < 4; ++q) {
        for (int t = 0; t < 4; ++t) {
            lane[q * kPanelGroupBytes + t] =
                static_cast<uint8_t>((code[4 * q + t] & 0x0f) | (code[16 + 4 * q + t] << 4));
        }
    }
    for (int plane = 0; plane < panel_planes(type); ++plane) {
        for (int t = 0; t < 4; ++t) {
            uint8_t bits = 0;
            for (int q = 0; q < 8; ++q)
                bits |= static_cast<uint8_t>(((code[4 * q + t] >> (4 + plane)) & 1) << q);
            lane[(4 + plane) * kPanelGroupBytes + t] = bits;
        }
    }
}

uint8_t get_code(DType type, const uint8_t* codes, int r, int k) {
    if (type == DType::Q8_0) return codes[code_byte(r, k)];
    const uint8_t byte = codes[code_byte(r, k % 16)];
    const int group = k / 4;
    auto code = static_cast<uint8_t>(group < 4 ? byte & 0x0f : byte >> 4);
    for (int plane = 0; plane < panel_planes(type); ++plane) {
        if ((codes[(4 + plane) * kPanelGroupBytes + code_byte(r, k % 4)] >> group) & 1)
            code = static_cast<uint8_t>(code | (1 << (4 + plane)));
    }
    return code;
}

}  // namespace

uint8_t PanelWeights::zero_point() const {
    switch (type) {
        case DType::Q4_0:
            return 8;
        case DType::Q5_0:
            return 16;
        case DType::Q8_0:
            return 128;
        case DType::Q6_K:
            return 32;
        default:
            return 0;
    }
}

namespace {

float header_float(const uint8_t* header, int index) {
    float f;
    std::memcpy(&f, header + 4 * index, sizeof f);
    return f;
}

}  // namespace

float PanelWeights::scale(int64_t panel, int64_t b, int r) const {
    const uint8_t* record = block(panel, b);
    if (!k_quant()) return load_fp16(record + 2 * r);
    return header_float(header(panel, b), r) * static_cast<float>(static_cast<int8_t>(record[r]));
}

float PanelWeights::second(int64_t panel, int64_t b, int r) const {
    if (!k_quant()) return load_fp16(block(panel, b) + 2 * (kPanelRows + r));
    const float factor = header_float(header(panel, b), has_min() ? kPanelRows + r : r);
    return factor * static_cast<float>(static_cast<int8_t>(block(panel, b)[kPanelRows + r]));
}

bool panel_type(DType type) {
    return type == DType::Q4_0 || type == DType::Q4_1 || type == DType::Q5_0 ||
           type == DType::Q5_1 || type == DType::Q8_0 || type == DType::Q4_K ||
           type == DType::Q5_K || type == DType::Q6_K;
}

namespace {

// Row r of a panel (from `panel`, its first byte) from a GGUF row of 32-value blocks.
void pack_block_row(const PanelWeights& p, const uint8_t* row, int r, uint8_t* panel) {
    const BlockFormat format = *block_format(p.type);
    for (int64_t b = 0; b < p.blocks; ++b) {
        const uint8_t* src = row + static_cast<size_t>(b) * format.block_bytes();
        uint8_t* record = panel + static_cast<size_t>(b) * p.record_bytes;
        std::memcpy(record + 2 * r, src, 2);  // the f16 scale as stored
        if (format.has_min) {
            // -m: the f16 with its sign flipped, exactly.
            uint16_t m;
            std::memcpy(&m, src + 2, sizeof m);
            m ^= 0x8000;
            std::memcpy(record + 2 * (kPanelRows + r), &m, sizeof m);
        }
        // The stored codes as they are, unsigned: Q4_0's, Q5_0's and the "_1" formats' already
        // are (zero points 8, 16 and none), Q8_0's int8 codes plus 128 flip their top bit.
        const uint8_t* qs = src + format.qs_offset();
        uint8_t codes[kBlockValues];
        if (format.bits == 8) {
            for (int k = 0; k < kBlockValues; ++k) codes[k] = qs[k] ^ 0x80;
        } else {
            uint32_t qh = 0;
            if (format.bits == 5) std::memcpy(&qh, src + format.qh_offset(), sizeof qh);
            for (int k = 0; k < kBlockValues / 2; ++k) {
                codes[k] = static_cast<uint8_t>((qs[k] & 0x0f) | ((qh >> k) & 1) << 4);
                codes[k + 16] = static_cast<uint8_t>((qs[k] >> 4) | ((qh >> (k + 16)) & 1) << 4);
            }
        }
        put_block(p.type, record + p.codes_offset, r, codes);
    }
}

// Row r of a panel (from `panel`, its first byte) from a GGUF row of K-quant super-blocks: the
// super-block's d (and dmin) into its header, and each 32 values as one block, Q4_K's a sub-block
// (its scale and min), Q6_K's two (their scales).
void pack_k_row(const PanelWeights& p, const uint8_t* row, int r, uint8_t* panel) {
    const KBlockFormat format = *k_block_format(p.type);
    const size_t super_bytes = traits_of(p.type).type_size;
    for (int64_t sb = 0; sb < p.blocks / kSuperBlocks; ++sb) {
        const KBlockValues values =
            unpack_k_block(format, row + static_cast<size_t>(sb) * super_bytes);
        uint8_t* header = panel + static_cast<size_t>(sb) * p.super_stride;
        std::memcpy(header + 4 * r, &values.d, sizeof values.d);
        if (p.has_min())
            std::memcpy(header + 4 * (kPanelRows + r), &values.dmin, sizeof values.dmin);
        for (int s = 0; s < kSuperBlocks; ++s) {
            uint8_t* record = header + p.header_bytes + static_cast<size_t>(s) * p.record_bytes;
            const bool halves = p.has_halves();
            record[r] = static_cast<uint8_t>(values.scale[halves ? 2 * s : s]);
            record[kPanelRows + r] =
                halves ? static_cast<uint8_t>(values.scale[2 * s + 1]) : values.min[s];
            uint8_t codes[kBlockValues];
            for (int k = 0; k < kBlockValues; ++k)
                codes[k] = static_cast<uint8_t>(values.q[s * kBlockValues + k] + p.zero_point());
            put_block(p.type, record + p.codes_offset, r, codes);
        }
    }
}

}  // namespace

PanelArena::PanelArena(size_t bytes) {
    size_ = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    base_ = static_cast<uint8_t*>(std::aligned_alloc(kHugePage, std::max(size_, kHugePage)));
    if (base_ != nullptr) madvise(base_, size_, MADV_HUGEPAGE);
}

PanelArena::~PanelArena() {
    std::free(base_);
}

uint8_t* PanelArena::take(size_t bytes) {
    const size_t aligned = (bytes + 63) / 64 * 64;
    if (base_ == nullptr || used_ + aligned > size_) return nullptr;
    uint8_t* p = base_ + used_;
    used_ += aligned;
    std::memset(p, 0, bytes);
    return p;
}

namespace {

PanelWeights panel_shape(const Matrix& w) {
    PanelWeights p;
    p.type = w.type;
    p.rows = w.rows;
    p.cols = w.cols;
    p.blocks = w.cols / kBlockValues;
    p.panels = (w.rows + kPanelRows - 1) / kPanelRows;
    p.codes_offset = panel_codes_offset(p.type);
    p.record_bytes = panel_record_bytes(p.type);
    p.header_bytes = panel_header_bytes(p.type);
    p.super_stride = p.header_bytes + kSuperBlocks * p.record_bytes;
    p.panel_stride = static_cast<size_t>(p.blocks) * p.record_bytes +
                     static_cast<size_t>(p.blocks / kSuperBlocks) * p.header_bytes;
    return p;
}

}  // namespace

size_t panel_bytes(const Matrix& w) {
    if (!panel_type(w.type)) return 0;
    const PanelWeights p = panel_shape(w);
    return (static_cast<size_t>(p.panels) * p.panel_stride + 63) / 64 * 64;
}

std::unique_ptr<PanelWeights> pack_panels(const Matrix& w, std::shared_ptr<PanelArena> arena) {
    if (!panel_type(w.type)) return nullptr;
    auto p = std::make_unique<PanelWeights>(panel_shape(w));
    const size_t bytes = panel_bytes(w);
    if (!arena) arena = std::make_shared<PanelArena>(bytes);
    p->data = arena->take(bytes);
    if (p->data == nullptr) return nullptr;
    p->arena = std::move(arena);

    // Panels are independent: the threads the machine has take a share each, so a model's load
    // time grows by its size over the machine's unpacking speed, not one core's.
    const size_t stored_row = row_bytes(w.type, w.cols);
    const auto pack_rows = [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            uint8_t* panel = p->data + static_cast<size_t>(r / kPanelRows) * p->panel_stride;
            const uint8_t* row = w.data + static_cast<size_t>(r) * stored_row;
            const int lane = static_cast<int>(r % kPanelRows);
            if (p->k_quant()) {
                pack_k_row(*p, row, lane, panel);
            } else {
                pack_block_row(*p, row, lane, panel);
            }
        }
    };
    const int64_t threads = std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, p->panels);
    std::vector<std::thread> workers;
    for (int64_t t = 1; t < threads; ++t) {
        workers.emplace_back(pack_rows, p->panels * t / threads * kPanelRows,
                             std::min(w.rows, p->panels * (t + 1) / threads * kPanelRows));
    }
    pack_rows(0, std::min(w.rows, p->panels / threads * kPanelRows));
    for (std::thread& worker : workers) worker.join();
    return p;
}

size_t PanelActivations::bytes(int64_t n, int64_t rows) {
    const int64_t tiles = (rows + kPanelRows - 1) / kPanelRows;
    return static_cast<size_t>(tiles) * PanelActivations(nullptr, n, rows).tile_bytes_;
}

void quantize_panel_row_reference(const float* x, int64_t blocks, const PanelRowSlots& slots) {
    constexpr size_t kQ8Block = 34;
    thread_local std::vector<uint8_t> q8;
    q8.resize(static_cast<size_t>(blocks) * kQ8Block);
    quantize_activation(DType::Q8_0, x, q8.data(), blocks * kBlockValues);
    for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t* block = q8.data() + static_cast<size_t>(b) * kQ8Block;
        std::memcpy(slots.codes + b * kPanelRows * kBlockValues, block + 2, kBlockValues);
        int32_t half = 0, sum = 0;
        for (int k = 0; k < kBlockValues; ++k) {
            sum += static_cast<int8_t>(block[2 + k]);
            if (k == kBlockValues / 2 - 1) half = sum;
        }
        slots.scales[b * kPanelRows] = load_fp16(block);
        slots.sums[b * kPanelRows] = sum;
        slots.first_half_sums[b * kPanelRows] = half;
    }
}

void PanelActivations::quantize(int64_t j, const float* x) {
    static const PanelQuantizeFn fastest = [] {
        if (PanelQuantizeFn avx512 = avx512_panel_quantize()) return avx512;
        if (PanelQuantizeFn avx2 = avx2_panel_quantize()) return avx2;
        return quantize_panel_row_reference;
    }();
    fastest(x, blocks_, slots(j));
}

void panel_dot_reference(const PanelWeights& w, int64_t panel_begin, int64_t panel_end,
                         const PanelActivations& a, int64_t first, int64_t count, float* out,
                         size_t out_stride) {
    const int64_t row_end = std::min(w.rows, panel_end * kPanelRows);
    for (int64_t j = 0; j < count; ++j) {
        for (int64_t row = panel_begin * kPanelRows; row < row_end; ++row) {
            const int64_t panel = row / kPanelRows;
            const int r = static_cast<int>(row % kPanelRows);
            float acc = 0.0f;
            for (int64_t b = 0; b < w.blocks; ++b) {
                const uint8_t* record = w.block(panel, b);
                const auto* codes = reinterpret_cast<const int8_t*>(a.codes(first + j, b));
                const int32_t sum = a.sum(first + j, b);
                const float d_a = a.scale(first + j, b);
                if (w.has_halves()) {
                    // Each 16-value half with its own scale.
                    const int32_t half_sum = a.first_half_sum(first + j, b);
                    for (int h = 0; h < 2; ++h) {
                        int32_t dot = 0;
                        for (int k = 16 * h; k < 16 * h + 16; ++k)
                            dot += get_code(w.type, record + w.codes_offset, r, k) * codes[k];
                        const int32_t codes_sum = h == 0 ? half_sum : sum - half_sum;
                        const float scale = h == 0 ? w.scale(panel, b, r) : w.second(panel, b, r);
                        acc = std::fma(static_cast<float>(dot - w.zero_point() * codes_sum),
                                       scale * d_a, acc);
                    }
                    continue;
                }
                int32_t dot = 0;
                for (int k = 0; k < kBlockValues; ++k)
                    dot += get_code(w.type, record + w.codes_offset, r, k) * codes[k];
                acc = std::fma(static_cast<float>(dot - w.zero_point() * sum),
                               w.scale(panel, b, r) * d_a, acc);
                if (w.has_min())
                    acc = std::fma(w.second(panel, b, r), -(d_a * static_cast<float>(sum)), acc);
            }
            out[static_cast<size_t>(j) * out_stride +
                static_cast<size_t>(row - panel_begin * kPanelRows)] = acc;
        }
    }
}

}  // namespace assistd
