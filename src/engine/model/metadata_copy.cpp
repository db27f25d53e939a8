#include "engine/model/metadata_copy.h"

#include <cstdint>
#include <vector>

#include "engine/gguf/value_codec.h"

namespace assistd {
namespace {

// The value's bytes as GGUF encodes them after its type tag.
std::vector<uint8_t> encode(const gguf::Value& value) {
    std::vector<uint8_t> out;
    if (value.type == gguf::ValueType::String) {
        gguf::append_string(out, value.string);
    } else if (value.type == gguf::ValueType::Array) {
        gguf::append_le(out, static_cast<uint32_t>(value.element_type), 4);
        gguf::append_le(out, value.count, 8);
        if (value.element_type == gguf::ValueType::String) {
            for (std::string_view s : value.strings) gguf::append_string(out, s);
        } else {
            const size_t size = gguf::scalar_size(value.element_type);
            for (uint64_t i = 0; i < value.count; ++i) {
                gguf::append_le(out, gguf::element_bits(value, i), size);
            }
        }
    } else {
        gguf::append_le(out, value.bits, gguf::scalar_size(value.type));
    }
    return out;
}

}  // namespace

void copy_metadata(const gguf::GgufFile& from, gguf::GgufWriter& to,
                   const std::function<bool(std::string_view key)>& keep) {
    for (const gguf::KeyValue& kv : from.metadata()) {
        if (keep(kv.key)) to.add_raw(kv.key, kv.value.type, encode(kv.value));
    }
}

}  // namespace assistd
