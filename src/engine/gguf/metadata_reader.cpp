#include "engine/gguf/metadata_reader.h"

#include <string>

#include "engine/gguf/value_codec.h"

namespace assistd::gguf {
namespace {

constexpr size_t kStringLengthBytes = 8;

Result<ValueType> read_type(ByteReader& reader, std::string_view subject) {
    const size_t at = reader.offset();
    Result<uint32_t> raw = reader.read_u32(subject);
    if (!raw) return raw.error();
    if (*raw > static_cast<uint32_t>(ValueType::Float64)) {
        return reader.error(at, std::string(subject) + " " + std::to_string(*raw),
                            "is not a GGUF value type (0..12)");
    }
    return static_cast<ValueType>(*raw);
}

Result<void> check_bools(const ByteReader& reader, size_t at, uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) {
        const uint8_t byte = *reader.at(at + i);
        if (byte > 1) {
            return reader.error(at + i, "bool value " + std::to_string(byte), "is neither 0 nor 1");
        }
    }
    return {};
}

Result<void> read_array(ByteReader& reader, Value& value) {
    const size_t type_at = reader.offset();
    Result<ValueType> element_type = read_type(reader, "array element type");
    if (!element_type) return element_type.error();
    if (*element_type == ValueType::Array) {
        return reader.error(type_at, "array element type array",
                            "is not supported (arrays of arrays)");
    }
    const size_t count_at = reader.offset();
    Result<uint64_t> count = reader.read_u64("array length");
    if (!count) return count.error();
    const bool strings = *element_type == ValueType::String;
    const size_t element_size = strings ? kStringLengthBytes : scalar_size(*element_type);
    Result<void> fits = reader.check_count(*count, element_size, "array length", count_at);
    if (!fits) return fits;

    value.element_type = *element_type;
    value.count = *count;
    if (strings) {
        reserve_bounded(value.strings, *count);
        for (uint64_t i = 0; i < *count; ++i) {
            Result<std::string_view> element = reader.read_string("array element string");
            if (!element) return element.error();
            value.strings.push_back(*element);
        }
        return {};
    }
    const size_t elements_at = reader.offset();
    Result<const uint8_t*> elements = reader.take(*count * element_size, "array elements");
    if (!elements) return elements.error();
    value.elements = *elements;
    if (*element_type == ValueType::Bool) return check_bools(reader, elements_at, *count);
    return {};
}

Result<Value> read_value(ByteReader& reader, ValueType type) {
    Value value;
    value.type = type;
    if (type == ValueType::String) {
        Result<std::string_view> string = reader.read_string("string");
        if (!string) return string.error();
        value.string = *string;
        return value;
    }
    if (type == ValueType::Array) {
        Result<void> array = read_array(reader, value);
        if (!array) return array.error();
        return value;
    }
    const size_t at = reader.offset();
    Result<uint64_t> bits =
        reader.read_uint(scalar_size(type), std::string(value_type_name(type)) + " value");
    if (!bits) return bits.error();
    if (type == ValueType::Bool) {
        Result<void> valid = check_bools(reader, at, 1);
        if (!valid) return valid.error();
    }
    value.bits = *bits;
    return value;
}

}  // namespace

Result<void> read_metadata(ByteReader& reader, uint64_t n_kv, std::vector<KeyValue>& entries,
                           std::unordered_map<std::string_view, size_t>& index) {
    reserve_bounded(entries, n_kv);
    for (uint64_t i = 0; i < n_kv; ++i) {
        reader.set_context("key/value #" + std::to_string(i));
        const size_t at = reader.offset();
        Result<std::string_view> key = reader.read_string("key");
        if (!key) return key.error();
        reader.set_context("key " + quoted(*key));
        if (auto seen = index.find(*key); seen != index.end()) {
            return reader.error(at, "key",
                                "is a duplicate of the key at byte " +
                                    std::to_string(entries[seen->second].offset));
        }
        Result<ValueType> type = read_type(reader, "value type");
        if (!type) return type.error();
        Result<Value> value = read_value(reader, *type);
        if (!value) return value.error();
        index.emplace(*key, entries.size());
        entries.push_back(KeyValue{*key, std::move(*value), at});
    }
    reader.set_context("");
    return {};
}

}  // namespace assistd::gguf
