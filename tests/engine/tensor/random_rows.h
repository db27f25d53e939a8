// Random rows for the kernel tests: uniform values, and those values encoded in a type.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "engine/tensor/dtype.h"
#include "engine/tensor/quant.h"

namespace assistd {

inline std::vector<float> random_values(int64_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-scale, scale);
    std::vector<float> values(static_cast<size_t>(n));
    for (float& v : values) v = uniform(rng);
    return values;
}

inline std::vector<uint8_t> quantized(DType type, const std::vector<float>& values) {
    const auto n = static_cast<int64_t>(values.size());
    std::vector<uint8_t> row(row_bytes(type, n));
    quantize_row(type, values.data(), row.data(), n);
    return row;
}

}  // namespace assistd
