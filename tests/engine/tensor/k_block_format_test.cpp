// The K-quant layouts checked against a second decoder written the way ggml's dequantize_row_*_K
// loops walk a super-block (pointers advancing through qs, hmask bits shifting), so an index
// formula in k_block_format.cpp that misplaces a code or a scale disagrees with it.
#include "engine/tensor/k_block_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "engine/tensor/half.h"
#include "engine/tensor/k_quantize.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

constexpr DType kKQuants[] = {DType::Q2_K, DType::Q3_K, DType::Q4_K, DType::Q5_K, DType::Q6_K};

float half_at(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return fp16_to_fp32(h);
}

// Random bytes, with the f16 factors set to small normal numbers.
std::vector<uint8_t> random_block(DType type, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> block(traits_of(type).type_size);
    for (uint8_t& b : block) b = static_cast<uint8_t>(rng());
    const auto set_half = [&](size_t offset, float value) {
        const uint16_t h = fp32_to_fp16(value);
        std::memcpy(block.data() + offset, &h, sizeof h);
    };
    switch (type) {
        case DType::Q2_K:
            set_half(80, 0.0123f);
            set_half(82, 0.0456f);
            break;
        case DType::Q3_K:
            set_half(108, -0.0321f);
            break;
        case DType::Q4_K:
        case DType::Q5_K:
            set_half(0, 0.0111f);
            set_half(2, 0.0222f);
            break;
        default:
            set_half(208, 0.00789f);
    }
    return block;
}

void six_bit_scale(int j, const uint8_t* q, int& scale, int& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

std::vector<float> ggml_style_decode(DType type, const uint8_t* x) {
    std::vector<float> out(256);
    float* y = out.data();
    if (type == DType::Q2_K) {
        const float d = half_at(x + 80), dmin = half_at(x + 82);
        const uint8_t* q = x + 16;
        int is = 0;
        for (int n = 0; n < 256; n += 128, q += 32) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; ++half) {
                    const uint8_t sc = x[is++];
                    const float dl = d * static_cast<float>(sc & 0xf);
                    const float ml = dmin * static_cast<float>(sc >> 4);
                    for (int l = 0; l < 16; ++l) {
                        *y++ = dl * static_cast<float>((q[l + 16 * half] >> shift) & 3) - ml;
                    }
                }
            }
        }
    } else if (type == DType::Q3_K) {
        const float d = half_at(x + 108);
        const uint8_t* q = x + 32;
        const uint8_t* hm = x;
        int8_t scales[16];
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? x[96 + j] & 0xf : x[96 + j - 8] >> 4;
            scales[j] =
                static_cast<int8_t>((low | (((x[96 + 8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32);
        }
        int is = 0;
        uint8_t m = 1;
        for (int n = 0; n < 256; n += 128, q += 32) {
            for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                for (int half = 0; half < 2; ++half) {
                    const float dl = d * static_cast<float>(scales[is++]);
                    for (int l = 16 * half; l < 16 * half + 16; ++l) {
                        const int code = ((q[l] >> shift) & 3) - ((hm[l] & m) ? 0 : 4);
                        *y++ = dl * static_cast<float>(code);
                    }
                }
            }
        }
    } else if (type == DType::Q4_K || type == DType::Q5_K) {
        const bool five = type == DType::Q5_K;
        const float d = half_at(x), dmin = half_at(x + 2);
        const uint8_t* q = x + (five ? 48 : 16);
        const uint8_t* qh = x + 16;
        uint8_t u1 = 1, u2 = 2;
        for (int j = 0, is = 0; j < 256; j += 64, q += 32, is += 2, u1 <<= 2, u2 <<= 2) {
            int sc, mn;
            six_bit_scale(is, x + 4, sc, mn);
            const float d1 = d * static_cast<float>(sc), m1 = dmin * static_cast<float>(mn);
            six_bit_scale(is + 1, x + 4, sc, mn);
            const float d2 = d * static_cast<float>(sc), m2 = dmin * static_cast<float>(mn);
            for (int l = 0; l < 32; ++l) {
                const int high = five && (qh[l] & u1) ? 16 : 0;
                *y++ = d1 * static_cast<float>((q[l] & 0xf) + high) - m1;
            }
            for (int l = 0; l < 32; ++l) {
                const int high = five && (qh[l] & u2) ? 16 : 0;
                *y++ = d2 * static_cast<float>((q[l] >> 4) + high) - m2;
            }
        }
    } else {
        const float d = half_at(x + 208);
        const uint8_t* ql = x;
        const uint8_t* qh = x + 128;
        const auto* sc = reinterpret_cast<const int8_t*>(x + 192);
        for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * static_cast<float>(sc[is]) * static_cast<float>(q1);
                y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
                y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
                y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
            }
        }
    }
    return out;
}

std::string name_of(const ::testing::TestParamInfo<DType>& info) {
    return std::string(traits_of(info.param).name);
}

class KQuants : public ::testing::TestWithParam<DType> {};

TEST_P(KQuants, SizeMatchesDTypeTraits) {
    const std::optional<KBlockFormat> format = k_block_format(GetParam());
    ASSERT_TRUE(format);
    EXPECT_EQ(traits_of(GetParam()).block_size, kSuperBlockValues);
    EXPECT_EQ(format->sub_blocks() * format->sub_block, kSuperBlockValues);
}

TEST_P(KQuants, DecodesAsGgmlsLoopsDo) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        const std::vector<uint8_t> block = random_block(GetParam(), seed);
        std::vector<float> values(256);
        dequantize_row(GetParam(), block.data(), values.data(), 256);
        EXPECT_EQ(values, ggml_style_decode(GetParam(), block.data())) << "seed " << seed;
    }
}

TEST_P(KQuants, PackIsTheInverseOfUnpack) {
    const KBlockFormat format = *k_block_format(GetParam());
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        const std::vector<uint8_t> block = random_block(GetParam(), seed);
        std::vector<uint8_t> again(block.size());
        pack_k_block(format, unpack_k_block(format, block.data()), again.data());
        EXPECT_EQ(again, block) << "seed " << seed;
    }
}

TEST_P(KQuants, EncodesZerosAsZeros) {
    const std::vector<float> zeros(256, 0.0f);
    std::vector<uint8_t> block(traits_of(GetParam()).type_size, 0xaa);
    quantize_row(GetParam(), zeros.data(), block.data(), 256);
    std::vector<float> back(256, 1.0f);
    dequantize_row(GetParam(), block.data(), back.data(), 256);
    for (float v : back) EXPECT_EQ(v, 0.0f);
}

// The error grows as bits fall: a rough ladder from ggml's own quantization tests.
TEST_P(KQuants, RelativeErrorFitsTheBitWidth) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(256 * 16);
    for (float& v : values) v = normal(rng);
    std::vector<uint8_t> row(row_bytes(GetParam(), static_cast<int64_t>(values.size())));
    quantize_row(GetParam(), values.data(), row.data(), static_cast<int64_t>(values.size()));
    std::vector<float> back(values.size());
    dequantize_row(GetParam(), row.data(), back.data(), static_cast<int64_t>(values.size()));
    double error = 0.0, energy = 0.0;
    for (size_t i = 0; i < values.size(); ++i) {
        error += (back[i] - values[i]) * (back[i] - values[i]);
        energy += values[i] * values[i];
    }
    const double relative_rms = std::sqrt(error / energy);
    const double limit = GetParam() == DType::Q2_K   ? 0.40
                         : GetParam() == DType::Q3_K ? 0.20
                         : GetParam() == DType::Q4_K ? 0.10
                         : GetParam() == DType::Q5_K ? 0.05
                                                     : 0.025;
    EXPECT_LT(relative_rms, limit);
    RecordProperty("relative_rms", std::to_string(relative_rms));
}

INSTANTIATE_TEST_SUITE_P(KBlockFormat, KQuants, ::testing::ValuesIn(kKQuants), name_of);

}  // namespace
}  // namespace assistd
