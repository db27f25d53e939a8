#include "engine/tensor/k_block_format.h"

#include <cstring>

#include "engine/tensor/half.h"

namespace assistd {
namespace {

// Where value v sits in a plane of 2-bit codes (Q2_K, Q3_K) or 4-bit codes (Q4_K, Q5_K).
int two_bit_byte(int v) {
    return (v / 128) * 32 + v % 32;
}
int two_bit_shift(int v) {
    return 2 * ((v % 128) / 32);
}
int four_bit_byte(int v) {
    return (v / 64) * 32 + v % 32;
}
int four_bit_shift(int v) {
    return v % 64 < 32 ? 0 : 4;
}

void pack_six_bit_scales(const KBlockValues& values, uint8_t* packed) {
    std::memset(packed, 0, 12);
    for (int j = 0; j < 8; ++j) {
        const auto scale = static_cast<uint8_t>(values.scale[j]);
        const uint8_t min = values.min[j];
        if (j < 4) {
            packed[j] |= scale;
            packed[j + 4] |= min;
        } else {
            packed[j + 4] = static_cast<uint8_t>((scale & 0xf) | ((min & 0xf) << 4));
            packed[j - 4] |= static_cast<uint8_t>((scale >> 4) << 6);
            packed[j] |= static_cast<uint8_t>((min >> 4) << 6);
        }
    }
}

// Q3_K: 16 six-bit scales stored with +32; low nibbles of 0-7 in bytes 0-7, of 8-15 in the high
// nibbles of bytes 0-7, and the top 2 bits of scale j in byte 8 + j % 4 at shift 2 * (j / 4).
void unpack_q3_scales(const uint8_t* packed, KBlockValues& out) {
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? packed[j] & 0xf : packed[j - 8] >> 4;
        const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
        out.scale[j] = static_cast<int8_t>((low | (high << 4)) - 32);
    }
}

void pack_q3_scales(const KBlockValues& values, uint8_t* packed) {
    std::memset(packed, 0, 12);
    for (int j = 0; j < 16; ++j) {
        const int stored = values.scale[j] + 32;
        if (j < 8) {
            packed[j] |= static_cast<uint8_t>(stored & 0xf);
        } else {
            packed[j - 8] |= static_cast<uint8_t>((stored & 0xf) << 4);
        }
        packed[8 + j % 4] |= static_cast<uint8_t>((stored >> 4) << (2 * (j / 4)));
    }
}

}  // namespace

void unpack_six_bit_scales(const uint8_t* packed, uint8_t* scales, uint8_t* mins) {
    for (int j = 0; j < 8; ++j) {
        if (j < 4) {
            scales[j] = packed[j] & 63;
            mins[j] = packed[j + 4] & 63;
        } else {
            scales[j] = static_cast<uint8_t>((packed[j + 4] & 0xf) | ((packed[j - 4] >> 6) << 4));
            mins[j] = static_cast<uint8_t>((packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));
        }
    }
}

std::optional<KBlockFormat> k_block_format(DType type) {
    switch (type) {
        case DType::Q2_K:
            return KBlockFormat{type, 16, true, 0, 3};
        case DType::Q3_K:
            return KBlockFormat{type, 16, false, -4, 3};
        case DType::Q4_K:
            return KBlockFormat{type, 32, true, 0, 15};
        case DType::Q5_K:
            return KBlockFormat{type, 32, true, 0, 31};
        case DType::Q6_K:
            return KBlockFormat{type, 16, false, -32, 31};
        default:
            return std::nullopt;
    }
}

KBlockValues unpack_k_block(const KBlockFormat& format, const uint8_t* block) {
    KBlockValues out;
    switch (format.type) {
        case DType::Q2_K:
            for (int s = 0; s < 16; ++s) {
                out.scale[s] = static_cast<int8_t>(block[s] & 0xf);
                out.min[s] = block[s] >> 4;
            }
            for (int v = 0; v < kSuperBlockValues; ++v) {
                out.q[v] =
                    static_cast<int8_t>((block[16 + two_bit_byte(v)] >> two_bit_shift(v)) & 3);
            }
            out.d = load_fp16(block + 80);
            out.dmin = load_fp16(block + 82);
            break;
        case DType::Q3_K:
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int low = (block[32 + two_bit_byte(v)] >> two_bit_shift(v)) & 3;
                const bool high = (block[v % 32] >> (v / 32)) & 1;
                out.q[v] = static_cast<int8_t>(low - (high ? 0 : 4));
            }
            unpack_q3_scales(block + 96, out);
            out.d = load_fp16(block + 108);
            break;
        case DType::Q4_K:
        case DType::Q5_K: {
            out.d = load_fp16(block);
            out.dmin = load_fp16(block + 2);
            unpack_six_bit_scales(block + 4, reinterpret_cast<uint8_t*>(out.scale), out.min);
            const bool five = format.type == DType::Q5_K;
            const uint8_t* qs = block + (five ? 48 : 16);
            for (int v = 0; v < kSuperBlockValues; ++v) {
                int code = (qs[four_bit_byte(v)] >> four_bit_shift(v)) & 0xf;
                if (five) code |= ((block[16 + v % 32] >> (v / 32)) & 1) << 4;
                out.q[v] = static_cast<int8_t>(code);
            }
            break;
        }
        case DType::Q6_K:
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int quarter = (v % 128) / 32;
                const uint8_t low_byte = block[(v / 128) * 64 + (quarter & 1) * 32 + v % 32];
                const int low = quarter < 2 ? low_byte & 0xf : low_byte >> 4;
                const int high = (block[128 + (v / 128) * 32 + v % 32] >> (2 * quarter)) & 3;
                out.q[v] = static_cast<int8_t>((low | (high << 4)) - 32);
            }
            std::memcpy(out.scale, block + 192, 16);
            out.d = load_fp16(block + 208);
            break;
        default:
            break;
    }
    return out;
}

void pack_k_block(const KBlockFormat& format, const KBlockValues& values, uint8_t* block) {
    std::memset(block, 0, traits_of(format.type).type_size);
    switch (format.type) {
        case DType::Q2_K:
            for (int s = 0; s < 16; ++s) {
                block[s] = static_cast<uint8_t>((values.scale[s] & 0xf) | (values.min[s] << 4));
            }
            for (int v = 0; v < kSuperBlockValues; ++v) {
                block[16 + two_bit_byte(v)] |=
                    static_cast<uint8_t>(values.q[v] << two_bit_shift(v));
            }
            store_fp16(block + 80, values.d);
            store_fp16(block + 82, values.dmin);
            break;
        case DType::Q3_K:
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int code = values.q[v] + 4;
                block[v % 32] |= static_cast<uint8_t>((code >> 2) << (v / 32));
                block[32 + two_bit_byte(v)] |= static_cast<uint8_t>((code & 3) << two_bit_shift(v));
            }
            pack_q3_scales(values, block + 96);
            store_fp16(block + 108, values.d);
            break;
        case DType::Q4_K:
        case DType::Q5_K: {
            store_fp16(block, values.d);
            store_fp16(block + 2, values.dmin);
            pack_six_bit_scales(values, block + 4);
            const bool five = format.type == DType::Q5_K;
            uint8_t* qs = block + (five ? 48 : 16);
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int code = values.q[v];
                qs[four_bit_byte(v)] |= static_cast<uint8_t>((code & 0xf) << four_bit_shift(v));
                if (five) block[16 + v % 32] |= static_cast<uint8_t>((code >> 4) << (v / 32));
            }
            break;
        }
        case DType::Q6_K:
            for (int v = 0; v < kSuperBlockValues; ++v) {
                const int code = values.q[v] + 32;
                const int quarter = (v % 128) / 32;
                const int low_shift = quarter < 2 ? 0 : 4;
                block[(v / 128) * 64 + (quarter & 1) * 32 + v % 32] |=
                    static_cast<uint8_t>((code & 0xf) << low_shift);
                block[128 + (v / 128) * 32 + v % 32] |=
                    static_cast<uint8_t>((code >> 4) << (2 * quarter));
            }
            std::memcpy(block + 192, values.scale, 16);
            store_fp16(block + 208, values.d);
            break;
        default:
            break;
    }
}

}  // namespace assistd
