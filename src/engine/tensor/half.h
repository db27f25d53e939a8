// IEEE 754 binary16 ("half", GGML's f16) and bfloat16 conversions, bit-exact in software.
//
// fp32_to_fp16 rounds to nearest even, overflows to infinity and produces subnormals exactly as an
// IEEE conversion does. NaNs keep their sign and the top payload bits, so every one of the 65536
// half patterns survives fp16 -> fp32 -> fp16 unchanged.
#pragma once

#include <cstdint>

namespace assistd {

float fp16_to_fp32(uint16_t h);
uint16_t fp32_to_fp16(float f);

// An f16 stored at p (any alignment), as blocks store their scales.
float load_fp16(const uint8_t* p);
void store_fp16(uint8_t* p, float value);

// bfloat16 is the upper half of a float: widening is exact.
float bf16_to_fp32(uint16_t h);
// Rounds to nearest even as ggml does; a NaN stays a NaN and is made quiet.
uint16_t fp32_to_bf16(float f);

}  // namespace assistd
