// GgufFile: a validated, read-only view of a GGUF (v2 or v3, little-endian) model file.
//
// The file is memory-mapped; metadata strings, arrays and tensor data are views into the map and
// live as long as the GgufFile. Every count, length, offset, alignment, dimension and type is
// checked before use: a bad file gives an Error naming what is wrong and its byte offset.
//
// What a parsed file guarantees (checked by check_invariants in gguf_invariants.h):
// - keys are unique; tensor names are unique;
// - arrays hold scalars or strings (arrays of arrays are rejected, as llama.cpp rejects them);
//   Bool values are 0 or 1;
// - general.alignment, when present, is an integer that is a power of two and at most 1 MiB;
// - a tensor has 1..4 dims, each > 0, a known type, ne[0] a multiple of the type's block size,
//   n_elements and n_bytes without overflow, data aligned, inside the file and overlapping no other
//   tensor's data;
// - when tokenizer.ggml.tokens is present it is an array of strings; tokenizer.ggml.scores
//   (Float32) and tokenizer.ggml.token_type (integers), when present, have the same length;
//   tokenizer.ggml.merges, when present, is an array of strings; the special token ids
//   (bos, eos, unknown, padding, seperator, cls, mask) are integers below the token count, or
//   -1 / 0xFFFFFFFF, which llama.cpp's converters write for "no such token".
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
#include <unordered_map>
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
    uint64_t bits = 0;                      // scalar payload, little-endian, zero-extended
    std::string_view string;                // type == String
    ValueType element_type{};               // type == Array
    uint64_t count = 0;                     // type == Array: number of elements
    const uint8_t* elements = nullptr;      // type == Array of scalars: packed, little-endian,
                                            // unaligned: read them with the typed getters
    std::vector<std::string_view> strings;  // type == Array of String: every element
};

struct KeyValue {
    std::string_view key;
    Value value;
    size_t offset = 0;  // byte offset of the key in the file, for error messages
};

struct TensorInfo {
    std::string_view name;
    DType type;
    int n_dims;
    std::array<int64_t, 4> ne;  // ne[0] is the contiguous dimension (row length); unused dims are 1
    int64_t n_elements;
    uint64_t offset;  // from the start of the tensor data section
    size_t n_bytes;
    const uint8_t* data;  // view into the file
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
    // Byte offset of the tensor data section: the end of the tensor infos, aligned up.
    uint64_t data_offset() const { return data_offset_; }
    std::span<const uint8_t> bytes() const { return bytes_; }

    const std::vector<KeyValue>& metadata() const { return metadata_; }
    const Value* find(std::string_view key) const;
    // The key/value with its byte offset, for callers that report errors of their own.
    const KeyValue* find_key_value(std::string_view key) const;
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
    Result<void> read();
    Result<void> read_alignment();

    struct Mapping;
    std::unique_ptr<Mapping> mapping_;  // null when parsing caller-owned bytes
    std::span<const uint8_t> bytes_;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    uint64_t data_offset_ = 0;
    std::vector<KeyValue> metadata_;
    std::unordered_map<std::string_view, size_t> key_index_;  // key -> index in metadata_
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string_view, size_t> tensor_index_;  // name -> index in tensors_
};

}  // namespace assistd::gguf
