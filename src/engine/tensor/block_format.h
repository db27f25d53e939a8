// The layout shared by GGML's five 32-value block formats: Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0.
//
// Every block starts with an f16 scale d; the "_1" formats follow it with an f16 minimum m; the
// 5-bit formats then hold 4 bytes qh with each value's fifth bit (bit j for value j); last come
// the low bits qs. 8-bit blocks store 32 signed bytes; 4- and 5-bit blocks store 16 bytes whose
// low nibble is value j and high nibble value j + 16. A value decodes to d * q + m, where q is
// the stored code minus the format's zero point (8 for Q4_0, 16 for Q5_0, none otherwise).
//
//   Q4_0 {d; qs[16]}            18 bytes     Q4_1 {d; m; qs[16]}          20 bytes
//   Q5_0 {d; qh[4]; qs[16]}     22 bytes     Q5_1 {d; m; qh[4]; qs[16]}   24 bytes
//   Q8_0 {d; qs[32] (int8)}     34 bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/tensor/dtype.h"

namespace assistd {

inline constexpr int kBlockValues = 32;

struct BlockFormat {
    int bits;      // 4, 5 or 8 stored bits per value
    bool has_min;  // "_1" formats: q is the unsigned code and m is stored

    constexpr int zero_point() const { return has_min || bits == 8 ? 0 : 1 << (bits - 1); }
    constexpr int max_code() const { return (1 << bits) - 1; }
    constexpr size_t qh_offset() const { return has_min ? 4 : 2; }
    constexpr size_t qs_offset() const { return qh_offset() + (bits == 5 ? 4 : 0); }
    constexpr size_t block_bytes() const {
        return qs_offset() + (bits == 8 ? kBlockValues : kBlockValues / 2);
    }
};

// The block format of a 32-value quantized type; nullopt for every other type.
std::optional<BlockFormat> block_format(DType type);

// One block decoded: value j = d * q[j] + m. d and m are already widened from f16.
struct BlockValues {
    float d = 0.0f;
    float m = 0.0f;
    int8_t q[kBlockValues] = {};
};

BlockValues unpack_block(BlockFormat format, const uint8_t* block);

// Inverse of unpack_block: d and m are rounded to f16, each q[j] must fit the format.
void pack_block(BlockFormat format, const BlockValues& values, uint8_t* block);

}  // namespace assistd
