// GgufFile: a validated, read-only view of a GGUF (v2 or v3, little-endian) model file.
//
// The file is memory-mapped; metadata strings, arrays and tensor data are views into the map and
// live as long as the GgufFile. Every count, length, offset, alignment, dimension and type is
// checked before use: a bad file gives an Error naming what is wrong and its byte offset.
//
//   auto file = GgufFile::open("model.gguf");
//   if (!file) return file.error();
//   auto arch = file->get_string("general.architecture");
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/tensor/dtype.h"

namespace assistd::gguf {

enum class ValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};

std::string_view value_type_name(ValueType type);

// One metadata value. Scalars are decoded; strings and arrays point into the file.
struct Value {
    ValueType type;
    uint64_t bits = 0;          // scalar payload, little-endian, zero-extended
    std::string_view string;    // type == String
    ValueType element_type{};   // type == Array
    uint64_t count = 0;         // type == Array: number of elements
    const uint8_t* elements = nullptr;        // type == Array of scalars: packed elements
    std::vector<std::string_view> strings;    // type == Array of String: every element
};

struct KeyValue {
    std::string_view key;
    Value value;
};

struct TensorInfo {
    std::string_view name;
    DType type;
    int n_dims;
    std::array<int64_t, 4> ne;  // ne[0] is the contiguous dimension (row length); unused dims are 1
    int64_t n_elements;
    uint64_t offset;            // from the start of the tensor data section
    size_t n_bytes;
    const uint8_t* data;        // view into the file
};

class GgufFile {
public:
    // Maps and validates the file at `path`.
    static Result<GgufFile> open(const std::filesystem::path& path);
    // Validates bytes already in memory; they must outlive the GgufFile (fuzzing, tests).
    static Result<GgufFile> parse(std::span<const uint8_t> bytes);

    GgufFile(GgufFile&&) noexcept;
    GgufFile& operator=(GgufFile&&) noexcept;
    ~GgufFile();

    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    std::span<const uint8_t> bytes() const { return bytes_; }

    const std::vector<KeyValue>& metadata() const { return metadata_; }
    const Value* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }

    // Typed lookups: an Error names the key when it is missing or of another type.
    // Integers accept every integer type whose value fits; floats accept Float32 and Float64.
    Result<int64_t> get_int(std::string_view key) const;
    Result<double> get_float(std::string_view key) const;
    Result<bool> get_bool(std::string_view key) const;
    Result<std::string_view> get_string(std::string_view key) const;
    Result<std::span<const std::string_view>> get_string_array(std::string_view key) const;
    Result<std::vector<float>> get_f32_array(std::string_view key) const;
    Result<std::vector<int32_t>> get_i32_array(std::string_view key) const;

    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find_tensor(std::string_view name) const;

private:
    GgufFile() = default;

    struct Mapping;
    std::unique_ptr<Mapping> mapping_;  // null when parsing caller-owned bytes
    std::span<const uint8_t> bytes_;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    std::vector<KeyValue> metadata_;
    std::vector<TensorInfo> tensors_;
};

}  // namespace assistd::gguf
