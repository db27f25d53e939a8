// Element types of GGUF tensors, numbered as GGML numbers them on disk.
//
// Quantized types store `block_size` consecutive values of a row in one block of `type_size`
// bytes; a row's length must be a multiple of its type's block size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace assistd {

enum class DType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ4_NL = 20,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    BF16 = 30,
};

struct DTypeTraits {
    DType type;
    std::string_view name;  // as llama.cpp prints it: "f32", "q8_0", "q4_K"
    int64_t block_size;     // values per block
    size_t type_size;       // bytes per block
};

// Traits of a GGML type id as read from a file; nullopt for ids this engine does not know.
std::optional<DTypeTraits> dtype_traits(uint32_t raw_type);

// Traits of a known type.
const DTypeTraits& traits_of(DType type);

// Bytes taken by `n_values` values of `type`; n_values must be a multiple of the block size.
inline size_t row_bytes(DType type, int64_t n_values) {
    const DTypeTraits& t = traits_of(type);
    return static_cast<size_t>(n_values / t.block_size) * t.type_size;
}

}  // namespace assistd
