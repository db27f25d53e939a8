#include "engine/tensor/dtype.h"

#include <array>
#include <cassert>

namespace assistd {
namespace {

constexpr int64_t kBlock = 32;   // QK4_0 .. QK8_1
constexpr int64_t kSuper = 256;  // QK_K, the K-quant super-block

constexpr std::array kTraits = {
    DTypeTraits{DType::F32, "f32", 1, 4},
    DTypeTraits{DType::F16, "f16", 1, 2},
    DTypeTraits{DType::Q4_0, "q4_0", kBlock, 2 + 16},
    DTypeTraits{DType::Q4_1, "q4_1", kBlock, 2 + 2 + 16},
    DTypeTraits{DType::Q5_0, "q5_0", kBlock, 2 + 4 + 16},
    DTypeTraits{DType::Q5_1, "q5_1", kBlock, 2 + 2 + 4 + 16},
    DTypeTraits{DType::Q8_0, "q8_0", kBlock, 2 + 32},
    DTypeTraits{DType::Q8_1, "q8_1", kBlock, 2 + 2 + 32},
    DTypeTraits{DType::Q2_K, "q2_K", kSuper, 16 + 64 + 2 + 2},
    DTypeTraits{DType::Q3_K, "q3_K", kSuper, 32 + 64 + 12 + 2},
    DTypeTraits{DType::Q4_K, "q4_K", kSuper, 2 + 2 + 12 + 128},
    DTypeTraits{DType::Q5_K, "q5_K", kSuper, 2 + 2 + 12 + 32 + 128},
    DTypeTraits{DType::Q6_K, "q6_K", kSuper, 128 + 64 + 16 + 2},
    DTypeTraits{DType::Q8_K, "q8_K", kSuper, 4 + 256 + 32},
    DTypeTraits{DType::IQ4_NL, "iq4_nl", kBlock, 2 + 16},
    DTypeTraits{DType::IQ4_XS, "iq4_xs", kSuper, 2 + 2 + 4 + 128},
    DTypeTraits{DType::I8, "i8", 1, 1},
    DTypeTraits{DType::I16, "i16", 1, 2},
    DTypeTraits{DType::I32, "i32", 1, 4},
    DTypeTraits{DType::I64, "i64", 1, 8},
    DTypeTraits{DType::F64, "f64", 1, 8},
    DTypeTraits{DType::BF16, "bf16", 1, 2},
};

}  // namespace

std::optional<DTypeTraits> dtype_traits(uint32_t raw_type) {
    for (const DTypeTraits& t : kTraits) {
        if (static_cast<uint32_t>(t.type) == raw_type) return t;
    }
    return std::nullopt;
}

const DTypeTraits& traits_of(DType type) {
    for (const DTypeTraits& t : kTraits) {
        if (t.type == type) return t;
    }
    assert(false && "DType without traits");
    return kTraits[0];
}

}  // namespace assistd
