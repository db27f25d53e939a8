// AMX (Advanced Matrix Extensions) panel kernel: one tdpbsud multiplies 16 activation rows by a
// block of the panel's 16 weight rows into a 16 x 16 tile of exact int32 dots, which then take
// the same float step as the VNNI kernel (panel_block_step.h), so both give the same bits.
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

// The tiles: 0 the int32 dots, 1 sixteen activation rows of one block (32 bytes each), 2 the
// block's codes of the 16 weight rows in groups of four (8 rows of 64 bytes).
struct alignas(64) TileConfig {
    uint8_t palette = 1;
    uint8_t start_row = 0;
    uint8_t reserved[14] = {};
    uint16_t bytes_per_row[16] = {64, 32, 64};
    uint8_t rows[16] = {16, 16, 8};
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

// Q4_0's nibbles as one byte per code, every block of the panel, laid out as the B tile reads
// them; Q8_0's codes are bytes already and are read where they are.
ASSISTD_AMX const uint8_t* tile_codes(const PanelWeights& w, int64_t panel, size_t& block_stride) {
    if (w.type == DType::Q8_0) {
        block_stride = w.block_bytes();
        return w.block(panel, 0) + kPanelScaleBytes;
    }
    thread_local std::vector<uint8_t> bytes;
    bytes.resize(static_cast<size_t>(w.blocks) * kCodeBytes);
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    for (int64_t b = 0; b < w.blocks; ++b) {
        const uint8_t* codes = w.block(panel, b) + kPanelScaleBytes;
        uint8_t* out = bytes.data() + b * kCodeBytes;
        for (int q = 0; q < 4; ++q) {
            const __m512i both = _mm512_loadu_si512(codes + q * 64);
            _mm512_storeu_si512(out + q * 64, _mm512_and_si512(both, nibble));
            _mm512_storeu_si512(out + (q + 4) * 64,
                                _mm512_and_si512(_mm512_srli_epi16(both, 4), nibble));
        }
    }
    memory_barrier();
    block_stride = kCodeBytes;
    return bytes.data();
}

ASSISTD_AMX void amx_panel(const PanelWeights& w, int64_t panel, const uint8_t* a, size_t stride,
                           int64_t count, float* out, size_t out_stride) {
    const int64_t full = count / kPanelRows * kPanelRows;
    if (full > 0) {
        configure_tiles();
        size_t block_stride = 0;
        const uint8_t* codes = tile_codes(w, panel, block_stride);
        const int32_t zero = w.zero_point();
        const int64_t rows = std::min<int64_t>(kPanelRows, w.rows - panel * kPanelRows);
        const auto valid = static_cast<__mmask16>((1u << rows) - 1);
        alignas(64) int32_t dots[kPanelRows * kPanelRows];
        for (int64_t m = 0; m < full; m += kPanelRows) {
            const uint8_t* tile_a = a + m * stride;
            __m512 acc[kPanelRows];
            for (int i = 0; i < kPanelRows; ++i) acc[i] = _mm512_setzero_ps();
            for (int64_t b = 0; b < w.blocks; ++b) {
                _tile_zero(0);
                _tile_loadd(1, tile_a + b * kBlockValues, stride);
                _tile_loadd(2, codes + b * block_stride, 64);
                _tile_dpbsud(0, 1, 2);
                _tile_stored(0, dots, 64);
                memory_barrier();
                const __m512 scales = panel_step::weight_scales(w.block(panel, b));
#pragma GCC unroll 16
                for (int i = 0; i < kPanelRows; ++i) {
                    acc[i] = panel_step::accumulate(
                        acc[i], _mm512_load_si512(dots + i * kPanelRows), scales,
                        panel_step::block_terms(tile_a + i * stride, w.cols, w.blocks, b), zero);
                }
            }
            for (int i = 0; i < kPanelRows; ++i)
                _mm512_mask_storeu_ps(out + (m + i) * out_stride, valid, acc[i]);
        }
    }
    // The last rows, fewer than a tile: the VNNI kernel's numbers are the same.
    if (full < count) {
        avx512_panel_dot()(w, panel, a + full * stride, stride, count - full,
                           out + full * out_stride, out_stride);
    }
}

}  // namespace

PanelDotFn amx_panel_dot() {
    static const bool usable = detect_cpu_features().amx_int8_tiles() && amx_permitted();
    return usable ? amx_panel : nullptr;
}

#else

PanelDotFn amx_panel_dot() {
    return nullptr;
}

#endif

PanelDotFn panel_dot_function() {
    static const PanelDotFn chosen = [] {
        if (!detect_cpu_features().avx512_vnni()) return PanelDotFn{nullptr};
        if (PanelDotFn amx = amx_panel_dot()) return amx;
        return avx512_panel_dot();
    }();
    return chosen;
}

}  // namespace assistd
