#include "engine/tensor/half.h"

#include <bit>
#include <cstring>

namespace assistd {
namespace {

constexpr uint32_t kF32ExpMask = 0x7f800000;
constexpr uint32_t kF32AbsMask = 0x7fffffff;
constexpr int kExpBiasDelta = 127 - 15;  // float exponent bias minus half exponent bias
constexpr int kMantissaDrop = 23 - 10;   // float mantissa bits not kept by a half

// Rounds `value >> shift` to nearest, ties to even; shift is 1..31.
uint32_t shift_round_even(uint32_t value, int shift) {
    const uint32_t kept = value >> shift;
    const uint32_t rest = value & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    return kept + ((rest > half || (rest == half && (kept & 1))) ? 1 : 0);
}

}  // namespace

float fp16_to_fp32(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ff;
    if (exp == 0x1f) return std::bit_cast<float>(sign | kF32ExpMask | (mant << kMantissaDrop));
    if (exp == 0) {
        // Zero or subnormal: mant units of 2^-24, exact in a float.
        const float magnitude = static_cast<float>(mant) * 0x1p-24f;
        return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(magnitude));
    }
    return std::bit_cast<float>(sign | ((exp + kExpBiasDelta) << 23) | (mant << kMantissaDrop));
}

uint16_t fp32_to_fp16(float f) {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
    const uint32_t abs = bits & kF32AbsMask;
    if (abs > kF32ExpMask) {
        // Keep the payload's top bits; a payload living only in the dropped bits must stay a NaN.
        const uint32_t payload = (abs >> kMantissaDrop) & 0x3ff;
        return static_cast<uint16_t>(sign | 0x7c00 | (payload != 0 ? payload : 0x200));
    }
    constexpr uint32_t kOverflow = 0x477ff000;  // 65520: halfway above 65504, rounds to infinity
    if (abs >= kOverflow) return static_cast<uint16_t>(sign | 0x7c00);
    constexpr uint32_t kMinNormal = 0x38800000;  // 2^-14
    if (abs < kMinNormal) {
        const int exp = static_cast<int>(abs >> 23);
        // At or below 2^-25 everything rounds to zero (2^-25 itself is a tie to even zero).
        if (abs <= 0x33000000) return sign;
        const uint32_t mant = (abs & 0x7fffff) | 0x800000;
        // The value is mant * 2^(exp - 150); in subnormal units of 2^-24 that is mant >> (126 -
        // exp).
        return static_cast<uint16_t>(sign | shift_round_even(mant, 126 - exp));
    }
    // A carry out of the mantissa correctly bumps the exponent.
    const uint32_t rebased = abs - (static_cast<uint32_t>(kExpBiasDelta) << 23);
    return static_cast<uint16_t>(sign | shift_round_even(rebased, kMantissaDrop));
}

float bf16_to_fp32(uint16_t h) {
    return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

uint16_t fp32_to_bf16(float f) {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    if ((bits & kF32AbsMask) > kF32ExpMask) return static_cast<uint16_t>((bits >> 16) | 0x40);
    return static_cast<uint16_t>(shift_round_even(bits, 16));
}

float load_fp16(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return fp16_to_fp32(h);
}

void store_fp16(uint8_t* p, float value) {
    const uint16_t h = fp32_to_fp16(value);
    std::memcpy(p, &h, sizeof h);
}

}  // namespace assistd
