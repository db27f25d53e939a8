// AMX (Advanced Matrix Extensions) panel kernel: one tdpbssd multiplies 16 activation rows by a
// block of a panel's 16 weight rows into a 16 x 16 tile of exact int32 dots, which then take the
// same float step as the VNNI kernel (panel_block_step.h), so both give the same bits.
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "engine/tensor/avx512_warnings.h"
#include "engine/tensor/cpu_features.h"
#include "engine/tensor/panel_block_step.h"
#include "engine/tensor/panel_kernels.h"

namespace assistd {

#if defined(__x86_64__)

#define ASSISTD_AMX                                                               \
    __attribute__((                                                               \
        target("amx-tile,amx-int8,avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma," \
               "f16c")))

namespace {

// Linux hands out the 8 KB of tile registers only to processes that ask (arch_prctl, since 5.16).
constexpr int kArchRequestXcompPermission = 0x1023;
constexpr int kXfeatureTileData = 18;

bool amx_permitted() {
    return syscall(SYS_arch_prctl, kArchRequestXcompPermission, kXfeatureTileData) == 0;
}

// Tiles 0-3 take the int32 dots of two activation tiles (4, 5: sixteen rows of one block, 32 bytes
// each) with two panels (6, 7: one block's signed codes of 16 weight rows in groups of four, 8 rows
// of 64 bytes): C(i, j) = 2i + j. Four independent products keep the tile unit busy through the
// latency of each, and each operand tile loaded serves two of them.
struct alignas(64) TileConfig {
    uint8_t palette = 1;
    uint8_t start_row = 0;
    uint8_t reserved[14] = {};
    uint16_t bytes_per_row[16] = {64, 64, 64, 64, 32, 32, 64, 64};
    uint8_t rows[16] = {16, 16, 16, 16, 16, 16, 8, 8};
};

// The inline assembly of the tile intrinsics tells the compiler of no memory it reads or writes.
inline void memory_barrier() {
    __asm__ volatile("" ::: "memory");
}

ASSISTD_AMX void configure_tiles() {
    // Per thread: the configuration is part of a thread's register state.
    thread_local bool configured = false;
    if (configured) return;
    static const TileConfig config;
    memory_barrier();
    _tile_loadconfig(&config);
    configured = true;
}

constexpr size_t kCodeBytes = kPanelRows * kBlockValues;  // a block's codes as bytes

// Every block's codes of a panel as signed bytes with the zero point taken off, laid out as the
// B tile reads them: the dots then need no correction (signed times signed tiles).
ASSISTD_AMX void signed_codes(const PanelWeights& w, int64_t panel, std::vector<uint8_t>& bytes) {
    bytes.resize(static_cast<size_t>(w.blocks) * kCodeBytes);
    const __m512i zero = _mm512_set1_epi8(static_cast<char>(w.zero_point()));
    for (int64_t b = 0; b < w.blocks; ++b) {
        const uint8_t* codes = w.block(panel, b) + w.codes_offset;
        // Codes unpack alike with as many planes (Q6_K, with two, never comes here).
        __m512i groups[panel_step::kGroups];
        if (w.type == DType::Q8_0) {
            panel_step::unpack_codes<DType::Q8_0>(codes, groups);
        } else if (panel_planes(w.type) == 1) {
            panel_step::unpack_codes<DType::Q5_0>(codes, groups);
        } else {
            panel_step::unpack_codes<DType::Q4_0>(codes, groups);
        }
        uint8_t* out = bytes.data() + b * kCodeBytes;
        for (int q = 0; q < panel_step::kGroups; ++q) {
            _mm512_storeu_si512(out + q * panel_step::kGroupBytes,
                                _mm512_sub_epi8(groups[q], zero));
        }
    }
    memory_barrier();
}

using TileDots = int32_t[kPanelRows * kPanelRows];

// Tile C to memory; the operand names the bytes written, so the compiler orders the loads of
// them after it and keeps everything else in registers.
#define ASSISTD_TILE_STORE(C, dots)                             \
    __asm__ volatile("tilestored %%tmm" #C ", (%1,%2,1)"        \
                     : "=m"(*reinterpret_cast<TileDots*>(dots)) \
                     : "r"(dots), "r"(static_cast<long>(kPanelRows * 4)))

// kActs activation tiles from tile t times kPanels panels from `panel` (each 1 or 2), all blocks.
template <int kActs, int kPanels>
ASSISTD_AMX void tile_product(const PanelWeights& w, int64_t panel, int64_t rows_left,
                              const std::vector<uint8_t> (&codes)[2], const PanelActivations& a,
                              int64_t t, float* out, size_t out_stride) {
    const int64_t blocks = w.blocks;
    // Block b's operands, and its products into tiles 0-3.
    const auto multiply = [&](int64_t b) __attribute__((always_inline)) {
        _tile_loadd(4, a.tile_codes(t, b), kBlockValues);
        if constexpr (kActs == 2) _tile_loadd(5, a.tile_codes(t + 1, b), kBlockValues);
        _tile_loadd(6, codes[0].data() + b * kCodeBytes, 64);
        if constexpr (kPanels == 2) _tile_loadd(7, codes[1].data() + b * kCodeBytes, 64);
        _tile_zero(0);
        _tile_dpbssd(0, 4, 6);
        if constexpr (kPanels == 2) {
            _tile_zero(1);
            _tile_dpbssd(1, 4, 7);
        }
        if constexpr (kActs == 2) {
            _tile_zero(2);
            _tile_dpbssd(2, 5, 6);
        }
        if constexpr (kActs == 2 && kPanels == 2) {
            _tile_zero(3);
            _tile_dpbssd(3, 5, 7);
        }
    };
    alignas(64) TileDots dots[2][2];
    __m512 acc[kActs][kPanelRows][kPanels];
    for (int i = 0; i < kActs; ++i) {
        for (int r = 0; r < kPanelRows; ++r) {
            for (int j = 0; j < kPanels; ++j) acc[i][r][j] = _mm512_setzero_ps();
        }
    }
    multiply(0);
    for (int64_t b = 0; b < blocks; ++b) {
        ASSISTD_TILE_STORE(0, dots[0][0]);
        if constexpr (kPanels == 2) ASSISTD_TILE_STORE(1, dots[0][1]);
        if constexpr (kActs == 2) ASSISTD_TILE_STORE(2, dots[1][0]);
        if constexpr (kActs == 2 && kPanels == 2) ASSISTD_TILE_STORE(3, dots[1][1]);
        // The tile unit multiplies the next block while the vector units scale this one.
        if (b + 1 < blocks) multiply(b + 1);
        for (int j = 0; j < kPanels; ++j) {
            const uint8_t* record = w.block(panel + j, b);
            const auto [scales, minimums] =
                !w.has_min() ? panel_step::block_factors<DType::Q4_0>(nullptr, record)
                : w.k_quant()
                    ? panel_step::block_factors<DType::Q4_K>(w.header(panel + j, b), record)
                    : panel_step::block_factors<DType::Q4_1>(nullptr, record);
            for (int i = 0; i < kActs; ++i) {
                const float* activation_scales = a.tile_scales(t + i, b);
                if (w.has_min()) {
                    const int32_t* activation_sums = a.tile_sums(t + i, b);
#pragma GCC unroll 16
                    for (int r = 0; r < kPanelRows; ++r) {
                        acc[i][r][j] = panel_step::subtract_minimums(
                            panel_step::accumulate(acc[i][r][j],
                                                   _mm512_load_si512(dots[i][j] + r * kPanelRows),
                                                   scales, activation_scales[r]),
                            minimums, activation_scales[r], activation_sums[r]);
                    }
                    continue;
                }
#pragma GCC unroll 16
                for (int r = 0; r < kPanelRows; ++r) {
                    acc[i][r][j] = panel_step::accumulate(
                        acc[i][r][j], _mm512_load_si512(dots[i][j] + r * kPanelRows), scales,
                        activation_scales[r]);
                }
            }
        }
    }
    for (int j = 0; j < kPanels; ++j) {
        const int64_t rows = std::min<int64_t>(kPanelRows, w.rows - (panel + j) * kPanelRows);
        const auto valid = static_cast<__mmask16>((1u << rows) - 1);
        for (int i = 0; i < kActs; ++i) {
            for (int r = 0; r < kPanelRows && i * kPanelRows + r < rows_left; ++r) {
                _mm512_mask_storeu_ps(out + (i * kPanelRows + r) * out_stride + j * kPanelRows,
                                      valid, acc[i][r][j]);
            }
        }
    }
}

// Activation rows from tile first_tile on, `rows` of them; the last tile may hold fewer than 16
// (its other rows are multiplied too, and dropped).
template <int kPanels>
ASSISTD_AMX void tile_rows(const PanelWeights& w, int64_t panel,
                           const std::vector<uint8_t> (&codes)[2], const PanelActivations& a,
                           int64_t first_tile, int64_t rows, float* out, size_t out_stride) {
    const int64_t tiles = (rows + kPanelRows - 1) / kPanelRows;
    int64_t t = 0;
    for (; t + 2 <= tiles; t += 2) {
        tile_product<2, kPanels>(w, panel, rows - t * kPanelRows, codes, a, first_tile + t,
                                 out + t * kPanelRows * out_stride, out_stride);
    }
    if (t < tiles) {
        tile_product<1, kPanels>(w, panel, rows - t * kPanelRows, codes, a, first_tile + t,
                                 out + t * kPanelRows * out_stride, out_stride);
    }
}

// Activation tiles per pass over the panels: 256 rows, which the unpacked codes of a panel pair
// serve before the next pair is unpacked.
constexpr int64_t kChunkTiles = 16;

// Fewest rows a partly used tile takes.
constexpr int64_t kMinTileRows = 4;

ASSISTD_AMX void amx_panels(const PanelWeights& w, int64_t panel_begin, int64_t panel_end,
                            const PanelActivations& a, int64_t first, int64_t count, float* out,
                            size_t out_stride) {
    // Tiles of the batch's layout from a tile's first row, the last one partly used where enough
    // of its rows are wanted (4 rows of a tile cost less than the VNNI kernel's 4 rows).
    // Q6_K's 16-value halves would want tiles of another shape: the VNNI kernel takes them.
    // Below a whole tile the VNNI kernel is faster: unpacking a panel's codes for the tiles costs
    // more than a few rows gain.
    int64_t rows = 0;
    if (first % kPanelRows == 0 && count >= kPanelRows && !w.has_halves()) {
        rows = count % kPanelRows >= kMinTileRows ? count : count / kPanelRows * kPanelRows;
    }
    if (rows > 0) {
        configure_tiles();
        thread_local std::vector<uint8_t> codes[2];
        for (int64_t done = 0; done < rows; done += kChunkTiles * kPanelRows) {
            const int64_t chunk = std::min(kChunkTiles * kPanelRows, rows - done);
            for (int64_t p = panel_begin; p < panel_end; p += 2) {
                float* chunk_out = out + done * out_stride + (p - panel_begin) * kPanelRows;
                const int64_t first_tile = (first + done) / kPanelRows;
                signed_codes(w, p, codes[0]);
                if (p + 1 < panel_end) {
                    signed_codes(w, p + 1, codes[1]);
                    tile_rows<2>(w, p, codes, a, first_tile, chunk, chunk_out, out_stride);
                } else {
                    tile_rows<1>(w, p, codes, a, first_tile, chunk, chunk_out, out_stride);
                }
            }
        }
    }
    // The rows after the last tile: the VNNI kernel's numbers are the same.
    if (rows < count) {
        avx512_panel_dot()(w, panel_begin, panel_end, a, first + rows, count - rows,
                           out + rows * out_stride, out_stride);
    }
}

#undef ASSISTD_TILE_STORE

}  // namespace

PanelDotFn amx_panel_dot() {
    static const bool usable = detect_cpu_features().amx_int8_tiles() && amx_permitted();
    return usable ? amx_panels : nullptr;
}

#else

PanelDotFn amx_panel_dot() {
    return nullptr;
}

#endif

PanelDotFn panel_dot_function() {
    static const PanelDotFn chosen = [] {
        if (!detect_cpu_features().avx512_vnni()) return avx2_panel_dot();
        if (PanelDotFn amx = amx_panel_dot()) return amx;
        return avx512_panel_dot();
    }();
    return chosen;
}

}  // namespace assistd
