#include "engine/tensor/half.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {
namespace {

bool is_half_nan(uint16_t h) {
    return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
}

TEST(Half, KnownValues) {
    EXPECT_EQ(fp16_to_fp32(0x3c00), 1.0f);
    EXPECT_EQ(fp16_to_fp32(0xc000), -2.0f);
    EXPECT_EQ(fp16_to_fp32(0x7bff), 65504.0f);
    EXPECT_EQ(fp16_to_fp32(0x0001), 0x1p-24f);
    EXPECT_EQ(fp16_to_fp32(0x03ff), 1023 * 0x1p-24f);
    EXPECT_EQ(fp16_to_fp32(0x0400), 0x1p-14f);
    EXPECT_EQ(fp16_to_fp32(0x3555), 0.333251953125f);
    EXPECT_EQ(fp16_to_fp32(0x7c00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(fp16_to_fp32(0xfc00), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::signbit(fp16_to_fp32(0x8000)));
    EXPECT_TRUE(std::isnan(fp16_to_fp32(0x7e00)));

    EXPECT_EQ(fp32_to_fp16(0.1f), 0x2e66);
    EXPECT_EQ(fp32_to_fp16(-1.0f), 0xbc00);
    EXPECT_EQ(fp32_to_fp16(65519.0f), 0x7bff);
    EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7c00);  // the tie rounds to the even side: infinity
    EXPECT_EQ(fp32_to_fp16(1e30f), 0x7c00);
    EXPECT_EQ(fp32_to_fp16(-1e30f), 0xfc00);
    EXPECT_EQ(fp32_to_fp16(0x1p-25f), 0x0000);  // tie between 0 and the smallest subnormal
    EXPECT_EQ(fp32_to_fp16(std::nextafter(0x1p-25f, 1.0f)), 0x0001);
    EXPECT_EQ(fp32_to_fp16(3 * 0x1p-25f), 0x0002);  // tie between 1 and 2: even
    EXPECT_EQ(fp32_to_fp16(-0.0f), 0x8000);
    EXPECT_TRUE(is_half_nan(fp32_to_fp16(std::numeric_limits<float>::quiet_NaN())));
    // A NaN whose payload sits only in the bits a half drops must not become infinity.
    EXPECT_TRUE(is_half_nan(fp32_to_fp16(std::bit_cast<float>(0x7f800001u))));
}

TEST(Half, EveryPatternRoundTrips) {
    for (uint32_t h = 0; h <= 0xffff; ++h) {
        const auto half = static_cast<uint16_t>(h);
        ASSERT_EQ(fp32_to_fp16(fp16_to_fp32(half)), half) << std::hex << h;
    }
}

// At every midpoint between neighbouring halves: below rounds down, above up, the tie to even.
TEST(Half, RoundsToNearestEvenAtEveryMidpoint) {
    for (uint16_t h = 0; h < 0x7c00; ++h) {
        const float low = fp16_to_fp32(h);
        const float high = h == 0x7bff ? 65536.0f : fp16_to_fp32(static_cast<uint16_t>(h + 1));
        const float mid = (low + high) / 2;  // exact: 12 significant bits at most
        const auto up = static_cast<uint16_t>(h + 1);
        for (const uint16_t sign : {uint16_t{0}, uint16_t{0x8000}}) {
            const float s = sign ? -1.0f : 1.0f;
            ASSERT_EQ(fp32_to_fp16(s * std::nextafter(mid, 0.0f)), sign | h) << h;
            ASSERT_EQ(fp32_to_fp16(s * std::nextafter(mid, high)), sign | up) << h;
            ASSERT_EQ(fp32_to_fp16(s * mid), sign | ((h & 1) ? up : h)) << h;
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("f16c"))) uint16_t hardware_fp32_to_fp16(float f) {
    return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

__attribute__((target("f16c"))) float hardware_fp16_to_fp32(uint16_t h) {
    return _cvtsh_ss(h);
}

TEST(Half, MatchesF16cHardware) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("f16c")) GTEST_SKIP() << "no F16C on this CPU";
    for (uint32_t h = 0; h <= 0xffff; ++h) {
        const auto half = static_cast<uint16_t>(h);
        if (is_half_nan(half)) continue;
        ASSERT_EQ(std::bit_cast<uint32_t>(fp16_to_fp32(half)),
                  std::bit_cast<uint32_t>(hardware_fp16_to_fp32(half)));
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 2'000'000; ++i) {
        const float f = std::bit_cast<float>(static_cast<uint32_t>(rng()));
        if (std::isnan(f)) continue;
        ASSERT_EQ(fp32_to_fp16(f), hardware_fp32_to_fp16(f)) << std::hexfloat << f;
    }
}
#endif

TEST(BFloat16, KnownValues) {
    EXPECT_EQ(bf16_to_fp32(0x3f80), 1.0f);
    EXPECT_EQ(bf16_to_fp32(0xc040), -3.0f);
    EXPECT_EQ(fp32_to_bf16(1.0f), 0x3f80);
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0x3f808000u)), 0x3f80);  // tie, even stays
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0x3f818000u)), 0x3f82);  // tie, odd rounds up
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0x3f808001u)), 0x3f81);
    EXPECT_EQ(fp32_to_bf16(std::numeric_limits<float>::max()), 0x7f80);
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0x7f800001u)), 0x7fc0);  // NaN made quiet
}

TEST(BFloat16, EveryPatternRoundTrips) {
    for (uint32_t h = 0; h <= 0xffff; ++h) {
        const auto bf = static_cast<uint16_t>(h);
        const bool nan = (bf & 0x7f80) == 0x7f80 && (bf & 0x7f) != 0;
        ASSERT_EQ(fp32_to_bf16(bf16_to_fp32(bf)), nan ? (bf | 0x40) : bf) << std::hex << h;
    }
}

TEST(BFloat16, RoundsToNearestEven) {
    std::mt19937 rng(11);
    for (int i = 0; i < 1'000'000; ++i) {
        const uint32_t bits = rng();
        if (std::isnan(std::bit_cast<float>(bits))) continue;
        const uint16_t bf = fp32_to_bf16(std::bit_cast<float>(bits));
        // Float bit patterns of one sign are ordered like their magnitudes.
        const int64_t diff = int64_t{bits} - (int64_t{bf} << 16);
        ASSERT_LE(std::abs(diff), 0x8000) << std::hex << bits;
        if (std::abs(diff) == 0x8000) {
            ASSERT_EQ(bf & 1, 0) << std::hex << bits;
        }
    }
}

}  // namespace
}  // namespace assistd
