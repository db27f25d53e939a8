// GgufWriter: builds a GGUF v3 file from metadata and tensors, with the alignment padding that
// readers expect. Used by `assistd quantize`, to synthesize models, and by the tests to build good
// and deliberately broken files.
//
//   GgufWriter writer;
//   writer.add_string("general.architecture", "llama");
//   writer.add_uint32("llama.block_count", 5);
//   std::vector<int64_t> ne = {64};
//   if (auto added = writer.add_tensor("output_norm.weight", DType::F32, ne, bytes); !added) ...
//   if (auto written = writer.write_file("model.gguf"); !written) ...
#pragma once

#include <bit>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/result.h"
#include "engine/gguf/gguf_file.h"
#include "engine/tensor/dtype.h"

namespace assistd::gguf {

// Appends the low `n_bytes` bytes of `value`, little-endian.
void append_le(std::vector<uint8_t>& out, uint64_t value, size_t n_bytes);
// Appends a GGUF string: uint64 length, then the bytes.
void append_string(std::vector<uint8_t>& out, std::string_view text);

// The GGUF value type of a C++ scalar type.
template <typename T>
constexpr ValueType scalar_type_of() {
    if constexpr (std::is_same_v<T, uint8_t>)
        return ValueType::UInt8;
    else if constexpr (std::is_same_v<T, int8_t>)
        return ValueType::Int8;
    else if constexpr (std::is_same_v<T, uint16_t>)
        return ValueType::UInt16;
    else if constexpr (std::is_same_v<T, int16_t>)
        return ValueType::Int16;
    else if constexpr (std::is_same_v<T, uint32_t>)
        return ValueType::UInt32;
    else if constexpr (std::is_same_v<T, int32_t>)
        return ValueType::Int32;
    else if constexpr (std::is_same_v<T, float>)
        return ValueType::Float32;
    else if constexpr (std::is_same_v<T, bool>)
        return ValueType::Bool;
    else if constexpr (std::is_same_v<T, uint64_t>)
        return ValueType::UInt64;
    else if constexpr (std::is_same_v<T, int64_t>)
        return ValueType::Int64;
    else if constexpr (std::is_same_v<T, double>)
        return ValueType::Float64;
    else
        static_assert(sizeof(T) == 0, "not a GGUF scalar type");
}

// The bits of a scalar as GGUF stores them (before truncation to sizeof(T) bytes).
template <typename T>
uint64_t scalar_bits(T value) {
    if constexpr (std::is_same_v<T, float>)
        return std::bit_cast<uint32_t>(value);
    else if constexpr (std::is_same_v<T, double>)
        return std::bit_cast<uint64_t>(value);
    else
        return static_cast<uint64_t>(value);
}

class GgufWriter {
  public:
    // Metadata. Adding a key again replaces its value where it stands (as llama.cpp's gguf_set_*
    // does), so a copied file's metadata can be amended.
    template <typename T>
    void add_scalar(std::string_view key, T value) {
        std::vector<uint8_t> encoded;
        append_le(encoded, scalar_bits(value), sizeof(T));
        add_raw(key, scalar_type_of<T>(), encoded);
    }
    void add_uint8(std::string_view key, uint8_t value) { add_scalar(key, value); }
    void add_int8(std::string_view key, int8_t value) { add_scalar(key, value); }
    void add_uint16(std::string_view key, uint16_t value) { add_scalar(key, value); }
    void add_int16(std::string_view key, int16_t value) { add_scalar(key, value); }
    void add_uint32(std::string_view key, uint32_t value) { add_scalar(key, value); }
    void add_int32(std::string_view key, int32_t value) { add_scalar(key, value); }
    void add_float32(std::string_view key, float value) { add_scalar(key, value); }
    void add_bool(std::string_view key, bool value) { add_scalar(key, value); }
    void add_uint64(std::string_view key, uint64_t value) { add_scalar(key, value); }
    void add_int64(std::string_view key, int64_t value) { add_scalar(key, value); }
    void add_float64(std::string_view key, double value) { add_scalar(key, value); }
    void add_string(std::string_view key, std::string_view value);

    template <typename T>
    void add_array(std::string_view key, std::span<const T> values) {
        std::vector<uint8_t> encoded = array_header(scalar_type_of<T>(), values.size());
        for (T value : values) append_le(encoded, scalar_bits(value), sizeof(T));
        add_raw(key, ValueType::Array, encoded);
    }
    void add_string_array(std::string_view key, std::span<const std::string> values);
    void add_string_array(std::string_view key, std::span<const std::string_view> values);

    // A value of `type` whose encoded bytes are given as is: for what the typed adders cannot
    // make (arrays of arrays, deliberately broken files in tests).
    void add_raw(std::string_view key, ValueType type, std::span<const uint8_t> encoded);

    // Sets general.alignment (a power of two) and pads the tensor data to it; the default is 32.
    void set_alignment(uint32_t alignment);

    // Adds a tensor of `type` and shape `ne` (ne[0] is the row length, 1 to 4 dims) whose bytes
    // are `data`. An Error when the name was added before, the shape is invalid, ne[0] is not a
    // multiple of the type's block size, or `data` is not exactly the size the shape needs.
    Result<void> add_tensor(std::string_view name, DType type, std::span<const int64_t> ne,
                            std::vector<uint8_t> data);

    // The whole file in memory.
    std::vector<uint8_t> to_bytes() const;
    // Writes the file to `path` through a temporary file beside it, so that a reader never sees a
    // half-written model.
    Result<void> write_file(const std::filesystem::path& path) const;

  private:
    struct Entry {
        std::string key;
        ValueType type;
        std::vector<uint8_t> encoded;
    };
    struct Tensor {
        std::string name;
        DType type;
        std::vector<int64_t> ne;
        std::vector<uint8_t> data;
    };

    static std::vector<uint8_t> array_header(ValueType element_type, size_t count);
    // Header, metadata, tensor infos and the padding up to the tensor data.
    std::vector<uint8_t> head() const;
    // Passes the file, piece by piece, to `sink`.
    void emit(const std::function<void(std::span<const uint8_t>)>& sink) const;

    std::vector<Entry> entries_;
    std::vector<Tensor> tensors_;
    uint32_t alignment_ = 32;
};

}  // namespace assistd::gguf
