// Weight matrices repacked into panels of 16 rows, the layout that both AVX-512 VNNI (one or a
// few activation rows: decode) and AMX tiles (many rows: prompts) read, as llama.cpp repacks its
// weights for AMX and its interleaved x86 kernels.
//
// Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K and Q6_K rows are cut into panels of kPanelRows rows
// (the last one padded with zero rows). For each 32-value block (a Q4_K or Q5_K sub-block, two
// Q6_K sub-blocks) a panel keeps a record: the 16 rows' scales (f16 as stored, then for Q4_1 and
// Q5_1 their minimums negated; for the K-quants the int8 sub-block factors as stored: Q4_K's and
// Q5_K's scale and min, Q6_K's scales of the two 16-value halves), then their codes interleaved
// four at a time, lane r of 4-value group q being values 4q..4q+3 of row r: the operand layout of
// vpdpbusd with a broadcast activation group, and of an AMX B tile. Codes are unsigned: as stored
// (zero points 8 for Q4_0, 16 for Q5_0, 32 for Q6_K, none for the others; the bits above the
// nibbles in planes of their own after them), Q8_0's plus 128. A K-quant panel puts the 16 rows'
// super-block factors (d, and dmin where there are minimums, as floats) before each super-block's
// 8 records, so the panels read no more bytes than the file's blocks do (float products there
// were a third more). A block's weight scale d_w is then d * scale and its minimum term's m_w
// dmin * min, exact in float; Q4_1's and Q5_1's m_w is -m (value d * q + m).
//
// Activations go with them quantized as Q8_0 (int8 codes and a float scale per 32 values, also
// for the K-quants), in tiles of 16 rows: for each block the 16 rows' codes are 512 contiguous
// bytes (an AMX A tile), then the rows' scales, code sums and first-half code sums. The sums take
// the zero point off: sum((c - z) * a) = sum(c * a) - z * sum(a).
//
// Every kernel over this layout computes, for weight row r and activation row j,
//
//   acc = 0;  for each block b in order:  acc = fma(float(S_b), d_w[r][b] * d_a[j][b], acc)
//                  and with minimums: acc = fma(m_w[r][b], -(d_a[j][b] * float(A_b)), acc)
//
// with S_b the exact integer dot of block b (zero point taken off), A_b the activation codes' sum
// and m_w the block's minimum term; Q6_K takes the first step once per 16-value half, with that
// half's dot and scale. Integer sums are exact in any order, so each result is that one float
// expression whatever the kernel, the instruction set, the tile or the batch: a prompt processed
// by AMX gets bit for bit the numbers decode gets one token at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "engine/tensor/block_format.h"
#include "engine/tensor/dtype.h"

namespace assistd {

struct Matrix;

inline constexpr int kPanelRows = 16;
inline constexpr int kPanelGroups = 8;                      // 4-value groups in a block
inline constexpr size_t kPanelGroupBytes = kPanelRows * 4;  // one group of all 16 rows

// Memory for the panels of many matrices in one allocation (huge pages where the kernel gives
// them): a matrix's panels are rarely a whole number of 2 MiB pages, and a model has hundreds.
class PanelArena {
  public:
    explicit PanelArena(size_t bytes);
    ~PanelArena();
    PanelArena(const PanelArena&) = delete;
    PanelArena& operator=(const PanelArena&) = delete;

    bool ok() const { return base_ != nullptr; }
    // The next `bytes` (64-byte aligned), zeroed; nullptr past the end.
    uint8_t* take(size_t bytes);

  private:
    uint8_t* base_ = nullptr;
    size_t size_ = 0;
    size_t used_ = 0;
};

inline constexpr int64_t kSuperBlocks = 8;  // 32-value blocks in a K-quant super-block

// Planes after a record's nibbles, one per code bit above the fourth (Q5_0 and Q5_K one, Q6_K
// two): plane p holds bit 4 + p of every code, byte i of the plane bit q for byte i of group q.
constexpr int panel_planes(DType type) {
    return type == DType::Q5_0 || type == DType::Q5_1 || type == DType::Q5_K ? 1
           : type == DType::Q6_K                                             ? 2
                                                                             : 0;
}

// The types whose blocks have a minimum (a second term per block): Q4_1's and Q5_1's m, Q4_K's and
// Q5_K's dmin * min.
constexpr bool panel_has_min(DType type) {
    return type == DType::Q4_1 || type == DType::Q5_1 || type == DType::Q4_K || type == DType::Q5_K;
}

// The K-quants, whose super-blocks have a header of float factors.
constexpr bool panel_k_quant(DType type) {
    return type == DType::Q4_K || type == DType::Q5_K || type == DType::Q6_K;
}

// Where a record's codes start: after 16 two-byte scales (the K-quants' two int8 factors), and for
// Q4_1 and Q5_1 16 f16 minimums.
constexpr size_t panel_codes_offset(DType type) {
    return panel_has_min(type) && !panel_k_quant(type) ? 4 * kPanelRows : 2 * kPanelRows;
}

// Bytes of a block record of `type`: its factors, then the codes: nibbles (bytes for Q8_0) and the
// planes of the bits above them.
constexpr size_t panel_record_bytes(DType type) {
    constexpr size_t kNibbles = kPanelRows * kBlockValues / 2;
    constexpr size_t kPlane = kPanelRows * kBlockValues / 8;
    if (type == DType::Q8_0) return panel_codes_offset(type) + 2 * kNibbles;
    return panel_codes_offset(type) + kNibbles + static_cast<size_t>(panel_planes(type)) * kPlane;
}

// Bytes of a super-block header: 16 floats d, then for Q4_K and Q5_K 16 dmin; 0 for the types
// that are not K-quants.
constexpr size_t panel_header_bytes(DType type) {
    constexpr size_t kRowFloats = kPanelRows * sizeof(float);
    if (!panel_k_quant(type)) return 0;
    return panel_has_min(type) ? 2 * kRowFloats : kRowFloats;
}

// A matrix in panels: `panels` panels of `blocks` block records each, a K-quant's in super-blocks
// of 8 records after a header.
struct PanelWeights {
    DType type;  // Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K or Q6_K: what was packed
    int64_t rows;
    int64_t cols;
    int64_t blocks;                     // cols / 32
    int64_t panels;                     // rows / 16, rounded up
    std::shared_ptr<PanelArena> arena;  // holds `data`
    uint8_t* data = nullptr;

    size_t record_bytes = 0;  // panel_record_bytes(type)
    size_t header_bytes = 0;  // panel_header_bytes(type)
    size_t super_stride = 0;  // header_bytes + kSuperBlocks * record_bytes
    size_t panel_stride = 0;  // bytes of one panel

    size_t codes_offset = 0;  // panel_codes_offset(type)
    bool k_quant() const { return panel_k_quant(type); }
    bool has_min() const { return panel_has_min(type); }
    bool has_halves() const { return type == DType::Q6_K; }
    uint8_t zero_point() const;
    // Row r's scale d_w (of the first half, for Q6_K) and second float (the minimum term's m_w:
    // Q4_1's and Q5_1's -m, Q4_K's and Q5_K's dmin * min; Q6_K's second half's scale) of block b
    // of a panel.
    float scale(int64_t panel, int64_t b, int r) const;
    float second(int64_t panel, int64_t b, int r) const;
    const uint8_t* header(int64_t panel, int64_t b) const {
        return data + static_cast<size_t>(panel) * panel_stride +
               static_cast<size_t>(b / kSuperBlocks) * super_stride;
    }
    const uint8_t* block(int64_t panel, int64_t b) const {
        return header(panel, b) + header_bytes +
               static_cast<size_t>(b % kSuperBlocks) * record_bytes;
    }
};

// True where pack_panels() packs `type`.
bool panel_type(DType type);

// Bytes the panels of `w` take in an arena; 0 for a type without panels.
size_t panel_bytes(const Matrix& w);

// The panels of `w` (Q4_0, Q5_0, Q8_0, Q4_K or Q6_K) in `arena`, or in an arena of their own when
// it is null; nullptr for other types, or when the arena is full.
std::unique_ptr<PanelWeights> pack_panels(const Matrix& w,
                                          std::shared_ptr<PanelArena> arena = nullptr);

// Where one activation row's quantized blocks go in the layout below: block b's 32 codes at
// codes + b * kPanelRows * kBlockValues, its terms at scales, sums and first_half_sums + b *
// kPanelRows.
struct PanelRowSlots {
    uint8_t* codes;
    float* scales;
    int32_t* sums;
    int32_t* first_half_sums;
};

// `blocks` blocks of x as Q8_0 (codes rounded half away from zero, the scale rounded to f16 as
// stored) into `slots`: portable C++, and where AVX-512 runs (which every CPU with panel kernels
// has) the same bits with it (panel_kernels.h).
void quantize_panel_row_reference(const float* x, int64_t blocks, const PanelRowSlots& slots);

// Four activation codes (a group) as the one int32 the kernels broadcast against a weight group.
inline int32_t activation_group(const uint8_t* codes) {
    int32_t group;
    std::memcpy(&group, codes, sizeof group);
    return group;
}

// A batch of activation rows of n values in the layout above, in memory of the caller's.
class PanelActivations {
  public:
    // Bytes for `rows` rows of n values (whole tiles).
    static size_t bytes(int64_t n, int64_t rows);

    // A tile holds the codes of every block (512 bytes each), then 16 scales per block, then 16
    // code sums, then 16 sums of the first half.
    PanelActivations(uint8_t* data, int64_t n, int64_t rows)
        : data_(data),
          blocks_(n / kBlockValues),
          rows_(rows),
          tile_bytes_(static_cast<size_t>(blocks_) * kPanelRows * (kBlockValues + 3 * 4)) {}

    // Quantizes x (n floats) into row j.
    void quantize(int64_t j, const float* x);

    int64_t rows() const { return rows_; }
    int64_t blocks() const { return blocks_; }
    // The 32 codes of row j, block b.
    const uint8_t* codes(int64_t j, int64_t b) const { return codes_at(j, b); }
    // The 16 rows' codes of block b in tile t, 32 bytes a row.
    const uint8_t* tile_codes(int64_t t, int64_t b) const {
        return tile(t) + b * kPanelRows * kBlockValues;
    }
    float scale(int64_t j, int64_t b) const { return term<float>(j, b, 0); }
    int32_t sum(int64_t j, int64_t b) const { return term<int32_t>(j, b, 1); }
    int32_t first_half_sum(int64_t j, int64_t b) const {  // of codes 0..15
        return term<int32_t>(j, b, 2);
    }
    // The 16 rows' scales and code sums of block b in tile t.
    const float* tile_scales(int64_t t, int64_t b) const {
        return reinterpret_cast<const float*>(terms(t * kPanelRows, b, 0));
    }
    const int32_t* tile_sums(int64_t t, int64_t b) const {
        return reinterpret_cast<const int32_t*>(terms(t * kPanelRows, b, 1));
    }

    // Row j's slots.
    PanelRowSlots slots(int64_t j) const {
        return {codes_at(j, 0), reinterpret_cast<float*>(terms(j, 0, 0)),
                reinterpret_cast<int32_t*>(terms(j, 0, 1)),
                reinterpret_cast<int32_t*>(terms(j, 0, 2))};
    }

  private:
    uint8_t* tile(int64_t t) const { return data_ + static_cast<size_t>(t) * tile_bytes_; }
    uint8_t* codes_at(int64_t j, int64_t b) const {
        return tile(j / kPanelRows) + (b * kPanelRows + j % kPanelRows) * kBlockValues;
    }
    // which: 0 scale, 1 sum, 2 the first half's sum
    uint8_t* terms(int64_t j, int64_t b, int64_t which) const {
        return tile(j / kPanelRows) + blocks_ * kPanelRows * (kBlockValues + which * 4) +
               (b * kPanelRows + j % kPanelRows) * 4;
    }
    template <class T>
    T term(int64_t j, int64_t b, int64_t which) const {
        T value;
        std::memcpy(&value, terms(j, b, which), sizeof value);
        return value;
    }

    uint8_t* data_;
    int64_t blocks_;
    int64_t rows_;
    size_t tile_bytes_;
};

// The expression above in plain C++, the yardstick every panel kernel must equal bit for bit:
// out[j * out_stride + r] for the weight rows r from panel_begin's first to panel_end's (those that
// exist) and the activation rows first .. first + count - 1.
void panel_dot_reference(const PanelWeights& w, int64_t panel_begin, int64_t panel_end,
                         const PanelActivations& a, int64_t first, int64_t count, float* out,
                         size_t out_stride);

}  // namespace assistd
