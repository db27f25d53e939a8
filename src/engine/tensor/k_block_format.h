// The layouts of GGML's K-quant super-blocks: 256 values cut into sub-blocks of 16 or 32, each
// sub-block with its own small integer scale (and minimum), all scaled by f16 super-block factors.
//
// Every K-quant value decodes to (d * scale[s]) * q - (dmin * min[s]) with s the value's
// sub-block; the formats differ only in how q, scale and min are packed (byte offsets below):
//
//   Q2_K {scales[16] (4-bit scale | 4-bit min << 4); qs[64] (2 bits); d; dmin}         84 bytes
//   Q3_K {hmask[32] (3rd bit); qs[64] (2 bits); scales[12] (16 x 6 bits, -32); d}     110 bytes
//   Q4_K {d; dmin; scales[12] (8 x 6-bit scale, 8 x 6-bit min); qs[128] (4 bits)}      144 bytes
//   Q5_K {d; dmin; scales[12] (as Q4_K); qh[32] (5th bit); qs[128] (4 bits)}           176 bytes
//   Q6_K {ql[128] (low 4 bits); qh[64] (high 2 bits); scales[16] (int8); d}            210 bytes
//
// The 2-bit planes (Q2_K, Q3_K qs) hold value v in byte (v / 128) * 32 + v % 32 at bit shift
// 2 * ((v % 128) / 32); the 4-bit planes (Q4_K, Q5_K) hold value v in byte (v / 64) * 32 + v % 32,
// low nibble for v % 64 < 32. Q8_K, the activation format the K-quants are multiplied with, is
// {float d; int8 qs[256]; int16 bsums[16] (sums of 16 consecutive qs)}, 292 bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/tensor/dtype.h"

namespace assistd {

inline constexpr int kSuperBlockValues = 256;

struct KBlockFormat {
    DType type;
    int sub_block;     // values sharing one scale: 16 or 32
    bool has_min;      // Q2_K, Q4_K, Q5_K subtract dmin * min[s]
    int q_min, q_max;  // the range of the stored codes q after their zero point is removed

    constexpr int sub_blocks() const { return kSuperBlockValues / sub_block; }
};

// The format of a K-quant weight type (Q2_K .. Q6_K); nullopt for every other type.
std::optional<KBlockFormat> k_block_format(DType type);

// One super-block decoded to integers: value v = (d * scale[v / sub_block]) * q[v] - (dmin *
// min[v / sub_block]). d and dmin are already widened from f16.
struct KBlockValues {
    float d = 0.0f;
    float dmin = 0.0f;
    int8_t scale[16] = {};
    uint8_t min[16] = {};
    int8_t q[kSuperBlockValues] = {};
};

KBlockValues unpack_k_block(const KBlockFormat& format, const uint8_t* block);

// Inverse of unpack_k_block: d and dmin are rounded to f16; scales, mins and codes must fit.
void pack_k_block(const KBlockFormat& format, const KBlockValues& values, uint8_t* block);

// Q4_K and Q5_K pack 8 six-bit scales and 8 six-bit mins in 12 bytes: bytes 0-3 hold scales 0-3
// and bytes 4-7 mins 0-3 in their low 6 bits; bytes 8-11 hold the low nibbles of scale and min
// 4-7, whose top 2 bits sit in the spare high bits of bytes 0-3 (scales) and 4-7 (mins).
void unpack_six_bit_scales(const uint8_t* packed, uint8_t* scales, uint8_t* mins);

}  // namespace assistd
