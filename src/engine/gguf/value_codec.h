// Sizes, integer conversions and names of GGUF metadata value types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/gguf/gguf_file.h"

namespace assistd::gguf {

// Bytes taken by one scalar of `type`; 0 for String and Array, which have no fixed size.
size_t scalar_size(ValueType type);

bool is_integer(ValueType type);

// The value of integer scalar bits of `type` as int64; nullopt for non-integer types and for
// UInt64 values above INT64_MAX.
std::optional<int64_t> integer_value(ValueType type, uint64_t bits);

// The raw bits of scalar element `index` of an array of scalars, zero-extended.
uint64_t element_bits(const Value& array, uint64_t index);

// "uint32", "string", "array of float32": for error messages.
std::string describe_type(const Value& value);

}  // namespace assistd::gguf
