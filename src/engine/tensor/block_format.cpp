#include "engine/tensor/block_format.h"

#include <cstring>

#include "engine/tensor/half.h"

namespace assistd {
namespace {

constexpr int kHalfBlock = kBlockValues / 2;

uint16_t load_u16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

void store_u16(uint8_t* p, uint16_t v) {
    std::memcpy(p, &v, sizeof v);
}

}  // namespace

std::optional<BlockFormat> block_format(DType type) {
    switch (type) {
        case DType::Q4_0:
            return BlockFormat{4, false};
        case DType::Q4_1:
            return BlockFormat{4, true};
        case DType::Q5_0:
            return BlockFormat{5, false};
        case DType::Q5_1:
            return BlockFormat{5, true};
        case DType::Q8_0:
            return BlockFormat{8, false};
        default:
            return std::nullopt;
    }
}

BlockValues unpack_block(BlockFormat format, const uint8_t* block) {
    BlockValues out;
    out.d = fp16_to_fp32(load_u16(block));
    if (format.has_min) out.m = fp16_to_fp32(load_u16(block + 2));
    const uint8_t* qs = block + format.qs_offset();
    if (format.bits == 8) {
        std::memcpy(out.q, qs, kBlockValues);
        return out;
    }
    uint32_t qh = 0;
    if (format.bits == 5) std::memcpy(&qh, block + format.qh_offset(), sizeof qh);
    for (int j = 0; j < kHalfBlock; ++j) {
        const int low = (qs[j] & 0x0f) | (((qh >> j) & 1) << 4);
        const int high = (qs[j] >> 4) | (((qh >> (j + kHalfBlock)) & 1) << 4);
        out.q[j] = static_cast<int8_t>(low - format.zero_point());
        out.q[j + kHalfBlock] = static_cast<int8_t>(high - format.zero_point());
    }
    return out;
}

void pack_block(BlockFormat format, const BlockValues& values, uint8_t* block) {
    store_u16(block, fp32_to_fp16(values.d));
    if (format.has_min) store_u16(block + 2, fp32_to_fp16(values.m));
    uint8_t* qs = block + format.qs_offset();
    if (format.bits == 8) {
        std::memcpy(qs, values.q, kBlockValues);
        return;
    }
    uint32_t qh = 0;
    for (int j = 0; j < kHalfBlock; ++j) {
        const auto low = static_cast<uint32_t>(values.q[j] + format.zero_point());
        const auto high = static_cast<uint32_t>(values.q[j + kHalfBlock] + format.zero_point());
        qs[j] = static_cast<uint8_t>((low & 0x0f) | ((high & 0x0f) << 4));
        qh |= ((low >> 4) & 1) << j;
        qh |= ((high >> 4) & 1) << (j + kHalfBlock);
    }
    if (format.bits == 5) std::memcpy(block + format.qh_offset(), &qh, sizeof qh);
}

}  // namespace assistd
