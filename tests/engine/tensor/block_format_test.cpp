// Bit-exact layouts of the 32-value block formats, checked on hand-built bytes, and the
// reference quantizers checked on inputs whose ggml encoding is worked out by hand.
#include "engine/tensor/block_format.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "engine/tensor/quant.h"

namespace assistd {
namespace {

std::vector<float> decode(DType type, const std::vector<uint8_t>& block) {
    std::vector<float> values(kBlockValues);
    dequantize_row(type, block.data(), values.data(), kBlockValues);
    return values;
}

std::vector<uint8_t> encode(DType type, const std::array<float, kBlockValues>& values) {
    std::vector<uint8_t> block(row_bytes(type, kBlockValues));
    quantize_row(type, values.data(), block.data(), kBlockValues);
    return block;
}

std::array<float, kBlockValues> ramp(float start) {
    std::array<float, kBlockValues> values;
    for (int j = 0; j < kBlockValues; ++j) values[j] = start + static_cast<float>(j);
    return values;
}

TEST(BlockFormat, SizesMatchDTypeTraits) {
    for (DType type : {DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1, DType::Q8_0}) {
        EXPECT_EQ(block_format(type)->block_bytes(), traits_of(type).type_size);
    }
    EXPECT_FALSE(block_format(DType::F16).has_value());
}

TEST(BlockFormat, DecodesQ4_0) {
    std::vector<uint8_t> block = {0x00, 0x40};  // d = 2.0
    for (int j = 0; j < 16; ++j) block.push_back(static_cast<uint8_t>(j | ((15 - j) << 4)));
    const std::vector<float> v = decode(DType::Q4_0, block);
    for (int j = 0; j < 16; ++j) {
        EXPECT_EQ(v[j], 2.0f * static_cast<float>(j - 8)) << j;
        EXPECT_EQ(v[j + 16], 2.0f * static_cast<float>(7 - j)) << j;
    }
}

TEST(BlockFormat, DecodesQ4_1) {
    std::vector<uint8_t> block = {0x00, 0x38, 0x00, 0xbc};  // d = 0.5, m = -1
    for (int j = 0; j < 16; ++j) block.push_back(static_cast<uint8_t>(j | (3 << 4)));
    const std::vector<float> v = decode(DType::Q4_1, block);
    for (int j = 0; j < 16; ++j) {
        EXPECT_EQ(v[j], 0.5f * static_cast<float>(j) - 1.0f) << j;
        EXPECT_EQ(v[j + 16], 0.5f) << j;
    }
}

TEST(BlockFormat, DecodesQ5_0) {
    // d = 1; qh bit 1 gives value 1 its fifth bit, bit 17 gives value 17 its fifth bit.
    std::vector<uint8_t> block = {0x00, 0x3c, 0x02, 0x00, 0x02, 0x00};
    for (int j = 0; j < 16; ++j) block.push_back(0x00);
    const std::vector<float> v = decode(DType::Q5_0, block);
    for (int j = 0; j < kBlockValues; ++j) EXPECT_EQ(v[j], (j == 1 || j == 17) ? 0.0f : -16.0f);
}

TEST(BlockFormat, DecodesQ5_1) {
    // d = 1, m = 0.5; all fifth bits of the high half set.
    std::vector<uint8_t> block = {0x00, 0x3c, 0x00, 0x38, 0x00, 0x00, 0xff, 0xff};
    for (int j = 0; j < 16; ++j) block.push_back(static_cast<uint8_t>(j | (j << 4)));
    const std::vector<float> v = decode(DType::Q5_1, block);
    for (int j = 0; j < kBlockValues; ++j) EXPECT_EQ(v[j], static_cast<float>(j) + 0.5f) << j;
}

TEST(BlockFormat, DecodesQ8_0) {
    std::vector<uint8_t> block = {0x00, 0xb8};  // d = -0.5
    for (int j = 0; j < kBlockValues; ++j) block.push_back(static_cast<uint8_t>(j * 8 - 128));
    const std::vector<float> v = decode(DType::Q8_0, block);
    for (int j = 0; j < kBlockValues; ++j) EXPECT_EQ(v[j], -0.5f * static_cast<float>(j * 8 - 128));
}

// x = -16 .. 15: amax 16 at x = -16, so d = -16 / -8 = 2; code = min(15, trunc(x / 2 + 8.5)).
TEST(BlockFormat, QuantizesQ4_0AsGgml) {
    const std::vector<uint8_t> block = encode(DType::Q4_0, ramp(-16));
    EXPECT_EQ(block[0], 0x00);
    EXPECT_EQ(block[1], 0x40);
    EXPECT_EQ(block[2 + 0], 0x80);   // x=-16 -> 0, x=0 -> trunc(8.5) = 8
    EXPECT_EQ(block[2 + 1], 0x91);   // x=-15 -> 1, x=1 -> 9
    EXPECT_EQ(block[2 + 15], 0xf8);  // x=-1 -> 8, x=15 -> 16 clamped to 15
}

// x = 0 .. 31: d = 31 / 15, m = 0; code = min(15, trunc(x * 15 / 31 + 0.5)).
TEST(BlockFormat, QuantizesQ4_1AsGgml) {
    const std::vector<uint8_t> block = encode(DType::Q4_1, ramp(0));
    EXPECT_EQ(block[0] | (block[1] << 8), 0x4022);  // f16(31 / 15) = 2.06640625
    EXPECT_EQ(block[2] | (block[3] << 8), 0x0000);
    EXPECT_EQ(block[4 + 0], 0x80);   // x=0 -> 0, x=16 -> 8
    EXPECT_EQ(block[4 + 2], 0x91);   // x=2 -> 1, x=18 -> 9
    EXPECT_EQ(block[4 + 15], 0xf7);  // x=15 -> 7, x=31 -> 15
}

// x = -16 .. 15: d = 1, code = x + 16; the high half all have their fifth bit.
TEST(BlockFormat, QuantizesQ5_0AsGgml) {
    const std::vector<uint8_t> block = encode(DType::Q5_0, ramp(-16));
    const std::vector<uint8_t> head = {0x00, 0x3c, 0x00, 0x00, 0xff, 0xff};
    EXPECT_EQ(std::vector<uint8_t>(block.begin(), block.begin() + 6), head);
    for (int j = 0; j < 16; ++j) EXPECT_EQ(block[6 + j], j | (j << 4)) << j;
}

TEST(BlockFormat, QuantizesQ5_1AsGgml) {
    const std::vector<uint8_t> block = encode(DType::Q5_1, ramp(3));
    const std::vector<uint8_t> head = {0x00, 0x3c, 0x00, 0x42, 0x00, 0x00, 0xff, 0xff};  // m = 3
    EXPECT_EQ(std::vector<uint8_t>(block.begin(), block.begin() + 8), head);
    for (int j = 0; j < 16; ++j) EXPECT_EQ(block[8 + j], j | (j << 4)) << j;
}

// x = -16 .. 15: d = 16 / 127, q = round(x * 127 / 16).
TEST(BlockFormat, QuantizesQ8_0AsGgml) {
    const std::vector<uint8_t> block = encode(DType::Q8_0, ramp(-16));
    EXPECT_EQ(block[0] | (block[1] << 8), 0x3008);  // f16(0.125984...) = 0.1259765625
    EXPECT_EQ(static_cast<int8_t>(block[2 + 0]), -127);
    EXPECT_EQ(static_cast<int8_t>(block[2 + 16]), 0);
    EXPECT_EQ(static_cast<int8_t>(block[2 + 17]), 8);    // 7.9375
    EXPECT_EQ(static_cast<int8_t>(block[2 + 31]), 119);  // 119.0625
    EXPECT_EQ(static_cast<int8_t>(block[2 + 14]), -16);  // -15.875
}

TEST(BlockFormat, PackIsTheInverseOfUnpack) {
    for (DType type : {DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1, DType::Q8_0}) {
        const BlockFormat format = *block_format(type);
        std::vector<uint8_t> block(format.block_bytes());
        for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<uint8_t>(i * 37 + 11);
        block[1] = 0x3c;  // keep d and m finite
        if (format.has_min) block[3] = 0x3c;
        std::vector<uint8_t> again(block.size());
        pack_block(format, unpack_block(format, block.data()), again.data());
        EXPECT_EQ(again, block) << traits_of(type).name;
    }
}

}  // namespace
}  // namespace assistd
