#include "engine/gguf/gguf_invariants.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>

#include "engine/gguf/tensor_infos.h"
#include "engine/gguf/value_codec.h"

namespace assistd::gguf {
namespace {

Error broken(std::string_view what, std::string_view name) {
    return Error{"gguf invariant broken: " + std::string(what) + " (" +
                 std::string(name.substr(0, 80)) + ")"};
}

bool inside(std::span<const uint8_t> bytes, const void* start, uint64_t n_bytes) {
    const auto begin = reinterpret_cast<uintptr_t>(bytes.data());
    const auto p = reinterpret_cast<uintptr_t>(start);
    return p >= begin && p - begin <= bytes.size() && n_bytes <= bytes.size() - (p - begin);
}

// Reads every byte, so that a sanitizer sees any view that points outside the input.
uint8_t touch(const void* start, uint64_t n_bytes) {
    const auto* p = static_cast<const volatile uint8_t*>(start);
    uint8_t sum = 0;
    for (uint64_t i = 0; i < n_bytes; ++i) sum = static_cast<uint8_t>(sum + p[i]);
    return sum;
}

// Every getter must succeed exactly when the value has a type it accepts.
Result<void> check_getters(const GgufFile& file, const KeyValue& entry) {
    const Value& v = entry.value;
    const bool array = v.type == ValueType::Array;
    const bool fits = is_integer(v.type) && integer_value(v.type, v.bits).has_value();
    if (file.get_int(entry.key).ok() != fits) return broken("get_int", entry.key);
    const bool is_float = v.type == ValueType::Float32 || v.type == ValueType::Float64;
    if (file.get_float(entry.key).ok() != is_float) return broken("get_float", entry.key);
    if (file.get_bool(entry.key).ok() != (v.type == ValueType::Bool)) {
        return broken("get_bool", entry.key);
    }
    if (file.get_string(entry.key).ok() != (v.type == ValueType::String)) {
        return broken("get_string", entry.key);
    }
    Result<std::span<const std::string_view>> strings = file.get_string_array(entry.key);
    if (strings.ok() != (array && v.element_type == ValueType::String) ||
        (strings.ok() && strings->size() != v.count)) {
        return broken("get_string_array", entry.key);
    }
    Result<std::vector<float>> floats = file.get_f32_array(entry.key);
    if (floats.ok() != (array && v.element_type == ValueType::Float32) ||
        (floats.ok() && floats->size() != v.count)) {
        return broken("get_f32_array", entry.key);
    }
    Result<std::vector<int32_t>> ints = file.get_i32_array(entry.key);
    if (ints.ok() && (!array || !is_integer(v.element_type) || ints->size() != v.count)) {
        return broken("get_i32_array", entry.key);
    }
    return {};
}

Result<void> check_value(std::span<const uint8_t> bytes, const KeyValue& entry) {
    const Value& v = entry.value;
    if (v.type == ValueType::String) {
        if (!inside(bytes, v.string.data(), v.string.size())) return broken("string", entry.key);
        touch(v.string.data(), v.string.size());
    }
    if (v.type != ValueType::Array) return {};
    if (v.element_type == ValueType::Array) return broken("array of arrays", entry.key);
    if (v.element_type == ValueType::String) {
        if (v.strings.size() != v.count) return broken("string array count", entry.key);
        for (std::string_view s : v.strings) {
            if (!inside(bytes, s.data(), s.size())) return broken("array string", entry.key);
            touch(s.data(), s.size());
        }
        return {};
    }
    const uint64_t size = scalar_size(v.element_type);
    if (size == 0 || v.count > bytes.size() / size || !inside(bytes, v.elements, v.count * size)) {
        return broken("array elements", entry.key);
    }
    touch(v.elements, v.count * size);
    return {};
}

Result<void> check_metadata(const GgufFile& file) {
    for (const KeyValue& entry : file.metadata()) {
        if (!inside(file.bytes(), entry.key.data(), entry.key.size()) ||
            entry.offset >= file.bytes().size()) {
            return broken("key view", entry.key);
        }
        if (file.find(entry.key) != &entry.value) return broken("find", entry.key);
        Result<void> value = check_value(file.bytes(), entry);
        if (!value) return value;
        Result<void> getters = check_getters(file, entry);
        if (!getters) return getters;
    }
    return {};
}

Result<void> check_tensor(const GgufFile& file, const TensorInfo& t) {
    if (file.find_tensor(t.name) != &t) return broken("find_tensor", t.name);
    if (t.n_dims < 1 || t.n_dims > 4) return broken("n_dims", t.name);
    int64_t n_elements = 1;
    for (int d = 0; d < 4; ++d) {
        if (t.ne[d] < 1 || (d >= t.n_dims && t.ne[d] != 1)) return broken("ne", t.name);
        if (__builtin_mul_overflow(n_elements, t.ne[d], &n_elements)) {
            return broken("n_elements overflow", t.name);
        }
    }
    if (n_elements != t.n_elements) return broken("n_elements", t.name);
    if (t.ne[0] % traits_of(t.type).block_size != 0) return broken("block size", t.name);
    const uint64_t rows = static_cast<uint64_t>(t.n_elements / t.ne[0]);
    if (row_bytes(t.type, t.ne[0]) * rows != t.n_bytes) return broken("n_bytes", t.name);
    if (t.offset % file.alignment() != 0) return broken("alignment", t.name);
    const uint64_t at = static_cast<uint64_t>(t.data - file.bytes().data());
    if (!inside(file.bytes(), t.data, t.n_bytes) || at != file.data_offset() + t.offset) {
        return broken("data", t.name);
    }
    touch(t.data, 1);
    touch(t.data + t.n_bytes - 1, 1);
    return {};
}

Result<void> check_tensors(const GgufFile& file) {
    const std::vector<TensorInfo>& tensors = file.tensors();
    for (const TensorInfo& t : tensors) {
        Result<void> tensor = check_tensor(file, t);
        if (!tensor) return tensor;
    }
    const std::vector<size_t> order = order_by_offset(tensors);
    for (size_t k = 1; k < order.size(); ++k) {
        const TensorInfo& before = tensors[order[k - 1]];
        if (before.offset + before.n_bytes > tensors[order[k]].offset) {
            return broken("overlap", tensors[order[k]].name);
        }
    }
    return {};
}

Result<void> check_vocabulary_promises(const GgufFile& file) {
    Result<std::span<const std::string_view>> tokens =
        file.get_string_array("tokenizer.ggml.tokens");
    if (!tokens) {
        if (file.has("tokenizer.ggml.tokens"))
            return broken("tokens type", "tokenizer.ggml.tokens");
        return {};
    }
    if (file.has("tokenizer.ggml.scores")) {
        Result<std::vector<float>> scores = file.get_f32_array("tokenizer.ggml.scores");
        if (!scores || scores->size() != tokens->size())
            return broken("scores", "tokenizer.ggml.scores");
    }
    Result<int64_t> bos = file.get_int("tokenizer.ggml.bos_token_id");
    if (bos && *bos != -1 && *bos != 0xFFFFFFFF &&
        (*bos < 0 || static_cast<size_t>(*bos) >= tokens->size())) {
        return broken("bos id", "tokenizer.ggml.bos_token_id");
    }
    return {};
}

}  // namespace

Result<void> check_invariants(const GgufFile& file) {
    if (file.version() != 2 && file.version() != 3) return broken("version", "");
    const uint64_t alignment = file.alignment();
    if (!std::has_single_bit(alignment) || alignment > (uint64_t{1} << 20) ||
        file.data_offset() % alignment != 0) {
        return broken("alignment", "general.alignment");
    }
    Result<void> metadata = check_metadata(file);
    if (!metadata) return metadata;
    Result<void> tensors = check_tensors(file);
    if (!tensors) return tensors;
    return check_vocabulary_promises(file);
}

Result<void> parse_and_check(std::span<const uint8_t> bytes) {
    Result<GgufFile> file = GgufFile::parse(bytes);
    if (!file) {
        if (file.error().message.rfind("gguf: ", 0) != 0) {
            return broken("error text does not start with 'gguf: '", file.error().message);
        }
        return {};
    }
    return check_invariants(*file);
}

}  // namespace assistd::gguf
