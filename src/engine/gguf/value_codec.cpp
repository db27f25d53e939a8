#include "engine/gguf/value_codec.h"

#include <limits>

#include "engine/gguf/byte_reader.h"

namespace assistd::gguf {

size_t scalar_size(ValueType type) {
    switch (type) {
        case ValueType::UInt8:
        case ValueType::Int8:
        case ValueType::Bool:
            return 1;
        case ValueType::UInt16:
        case ValueType::Int16:
            return 2;
        case ValueType::UInt32:
        case ValueType::Int32:
        case ValueType::Float32:
            return 4;
        case ValueType::UInt64:
        case ValueType::Int64:
        case ValueType::Float64:
            return 8;
        case ValueType::String:
        case ValueType::Array:
            return 0;
    }
    return 0;
}

bool is_integer(ValueType type) {
    switch (type) {
        case ValueType::UInt8:
        case ValueType::Int8:
        case ValueType::UInt16:
        case ValueType::Int16:
        case ValueType::UInt32:
        case ValueType::Int32:
        case ValueType::UInt64:
        case ValueType::Int64:
            return true;
        default:
            return false;
    }
}

std::optional<int64_t> integer_value(ValueType type, uint64_t bits) {
    switch (type) {
        case ValueType::UInt8:
        case ValueType::UInt16:
        case ValueType::UInt32:
            return static_cast<int64_t>(bits);
        case ValueType::Int8:
            return static_cast<int8_t>(bits);
        case ValueType::Int16:
            return static_cast<int16_t>(bits);
        case ValueType::Int32:
            return static_cast<int32_t>(bits);
        case ValueType::Int64:
            return static_cast<int64_t>(bits);
        case ValueType::UInt64:
            if (bits > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return {};
            return static_cast<int64_t>(bits);
        default:
            return {};
    }
}

uint64_t element_bits(const Value& array, uint64_t index) {
    const size_t size = scalar_size(array.element_type);
    return load_le(array.elements + index * size, size);
}

std::string describe_type(const Value& value) {
    if (value.type != ValueType::Array) return std::string(value_type_name(value.type));
    return "array of " + std::string(value_type_name(value.element_type));
}

}  // namespace assistd::gguf
