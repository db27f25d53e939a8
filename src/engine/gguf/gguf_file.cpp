#include "engine/gguf/gguf_file.h"

#include <bit>
#include <cstring>
#include <limits>

#include "engine/gguf/byte_reader.h"
#include "engine/gguf/file_mapping.h"
#include "engine/gguf/metadata_reader.h"
#include "engine/gguf/tensor_infos.h"
#include "engine/gguf/value_codec.h"
#include "engine/gguf/vocab_checks.h"

namespace assistd::gguf {

struct GgufFile::Mapping {
    FileMapping file;
};

namespace {

// Larger alignments only waste space; no GGUF writer we know of uses more than a page.
constexpr int64_t kMaxAlignment = int64_t{1} << 20;
constexpr size_t kVersionOffset = 4;
constexpr size_t kTensorCountOffset = 8;
constexpr size_t kKeyValueCountOffset = 16;

struct Header {
    uint32_t version = 0;
    uint64_t n_tensors = 0;
    uint64_t n_kv = 0;
};

Result<void> check_version(const ByteReader& reader, uint32_t version) {
    if (version == 2 || version == 3) return {};
    const uint32_t swapped = __builtin_bswap32(version);
    if (swapped >= 1 && swapped <= 3) {
        return reader.error(kVersionOffset, "version " + std::to_string(version),
                            "is version " + std::to_string(swapped) +
                                " byte-swapped: big-endian GGUF files are not supported");
    }
    if (version == 1) {
        return reader.error(kVersionOffset, "version 1",
                            "is not supported: GGUF v1 files must be converted again (versions 2 "
                            "and 3 are read)");
    }
    return reader.error(kVersionOffset, "version " + std::to_string(version),
                        "is not supported (versions 2 and 3 are read)");
}

Result<Header> read_header(ByteReader& reader) {
    Result<const uint8_t*> magic = reader.take(4, "magic");
    if (!magic) return magic.error();
    if (std::memcmp(*magic, "GGUF", 4) != 0) {
        const std::string_view shown(reinterpret_cast<const char*>(*magic), 4);
        return reader.error(0, "magic " + quoted(shown), "is not 'GGUF': not a GGUF file");
    }
    Header header;
    Result<uint32_t> version = reader.read_u32("version");
    if (!version) return version.error();
    Result<void> supported = check_version(reader, *version);
    if (!supported) return supported.error();
    header.version = *version;
    Result<uint64_t> n_tensors = reader.read_u64("tensor count");
    if (!n_tensors) return n_tensors.error();
    Result<uint64_t> n_kv = reader.read_u64("key/value count");
    if (!n_kv) return n_kv.error();
    Result<void> kv_fit =
        reader.check_count(*n_kv, kMinKeyValueBytes, "key/value count", kKeyValueCountOffset);
    if (!kv_fit) return kv_fit.error();
    Result<void> tensors_fit =
        reader.check_count(*n_tensors, kMinTensorInfoBytes, "tensor count", kTensorCountOffset);
    if (!tensors_fit) return tensors_fit.error();
    header.n_tensors = *n_tensors;
    header.n_kv = *n_kv;
    return header;
}

Error missing(std::string_view key) {
    return Error{"gguf: key " + quoted(key) + " is missing"};
}

Error wrong_type(std::string_view key, const Value& value, std::string_view expected) {
    return Error{"gguf: key " + quoted(key) + " is " + describe_type(value) + ", expected " +
                 std::string(expected)};
}

}  // namespace

std::string_view value_type_name(ValueType type) {
    switch (type) {
        case ValueType::UInt8:
            return "uint8";
        case ValueType::Int8:
            return "int8";
        case ValueType::UInt16:
            return "uint16";
        case ValueType::Int16:
            return "int16";
        case ValueType::UInt32:
            return "uint32";
        case ValueType::Int32:
            return "int32";
        case ValueType::Float32:
            return "float32";
        case ValueType::Bool:
            return "bool";
        case ValueType::String:
            return "string";
        case ValueType::Array:
            return "array";
        case ValueType::UInt64:
            return "uint64";
        case ValueType::Int64:
            return "int64";
        case ValueType::Float64:
            return "float64";
    }
    return "unknown";
}

GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

Result<GgufFile> GgufFile::open(const std::filesystem::path& path) {
    Result<FileMapping> mapped = FileMapping::map(path);
    if (!mapped) return mapped.error();
    auto mapping = std::make_unique<Mapping>(Mapping{std::move(*mapped)});
    GgufFile file;
    file.bytes_ = mapping->file.bytes();
    file.mapping_ = std::move(mapping);
    Result<void> valid = file.read();
    if (!valid) {
        // "gguf: <what>" becomes "gguf: <path>: <what>".
        const std::string& message = valid.error().message;
        return Error{"gguf: " + path.string() + ": " + message.substr(message.find(' ') + 1)};
    }
    return file;
}

Result<GgufFile> GgufFile::parse(std::span<const uint8_t> bytes) {
    GgufFile file;
    file.bytes_ = bytes;
    Result<void> valid = file.read();
    if (!valid) return valid.error();
    return file;
}

Result<void> GgufFile::read() {
    ByteReader reader(bytes_);
    Result<Header> header = read_header(reader);
    if (!header) return header.error();
    version_ = header->version;
    Result<void> metadata = read_metadata(reader, header->n_kv, metadata_, key_index_);
    if (!metadata) return metadata;
    Result<void> alignment = read_alignment();
    if (!alignment) return alignment;
    std::vector<TensorInfoOffsets> offsets;
    Result<void> infos =
        read_tensor_infos(reader, header->n_tensors, tensors_, tensor_index_, offsets);
    if (!infos) return infos;
    // The data section may be missing entirely when there are no tensors (vocab-only files).
    data_offset_ = (reader.offset() + alignment_ - 1) / alignment_ * alignment_;
    Result<void> placed = place_tensor_data(bytes_, data_offset_, alignment_, tensors_, offsets);
    if (!placed) return placed;
    return check_vocabulary(*this);
}

Result<void> GgufFile::read_alignment() {
    const KeyValue* entry = find_key_value("general.alignment");
    if (entry == nullptr) return {};
    const Value& value = entry->value;
    const std::string context = "key 'general.alignment'";
    if (!is_integer(value.type)) {
        return gguf_error(context, entry->offset, describe_type(value), "must be an integer");
    }
    const std::optional<int64_t> alignment = integer_value(value.type, value.bits);
    const std::string subject =
        "alignment " + (alignment ? std::to_string(*alignment) : std::to_string(value.bits));
    if (!alignment || *alignment > kMaxAlignment) {
        return gguf_error(context, entry->offset, subject,
                          "exceeds the maximum of " + std::to_string(kMaxAlignment) + " bytes");
    }
    if (*alignment == 0) return gguf_error(context, entry->offset, subject, "is zero");
    if (*alignment < 0) return gguf_error(context, entry->offset, subject, "is negative");
    if (!std::has_single_bit(static_cast<uint64_t>(*alignment))) {
        return gguf_error(context, entry->offset, subject, "is not a power of two");
    }
    alignment_ = static_cast<uint64_t>(*alignment);
    return {};
}

const KeyValue* GgufFile::find_key_value(std::string_view key) const {
    auto found = key_index_.find(key);
    return found == key_index_.end() ? nullptr : &metadata_[found->second];
}

const Value* GgufFile::find(std::string_view key) const {
    const KeyValue* entry = find_key_value(key);
    return entry == nullptr ? nullptr : &entry->value;
}

const TensorInfo* GgufFile::find_tensor(std::string_view name) const {
    auto found = tensor_index_.find(name);
    return found == tensor_index_.end() ? nullptr : &tensors_[found->second];
}

Result<int64_t> GgufFile::get_int(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (!is_integer(value->type)) return wrong_type(key, *value, "an integer");
    const std::optional<int64_t> result = integer_value(value->type, value->bits);
    if (!result) {
        return Error{"gguf: key " + quoted(key) + " value " + std::to_string(value->bits) +
                     " does not fit int64"};
    }
    return *result;
}

Result<double> GgufFile::get_float(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type == ValueType::Float32) {
        return std::bit_cast<float>(static_cast<uint32_t>(value->bits));
    }
    if (value->type == ValueType::Float64) return std::bit_cast<double>(value->bits);
    return wrong_type(key, *value, "float32 or float64");
}

Result<bool> GgufFile::get_bool(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type != ValueType::Bool) return wrong_type(key, *value, "bool");
    return value->bits != 0;
}

Result<std::string_view> GgufFile::get_string(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type != ValueType::String) return wrong_type(key, *value, "string");
    return value->string;
}

Result<std::span<const std::string_view>> GgufFile::get_string_array(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type != ValueType::Array || value->element_type != ValueType::String) {
        return wrong_type(key, *value, "array of string");
    }
    return std::span<const std::string_view>(value->strings);
}

Result<std::vector<float>> GgufFile::get_f32_array(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type != ValueType::Array || value->element_type != ValueType::Float32) {
        return wrong_type(key, *value, "array of float32");
    }
    std::vector<float> result(static_cast<size_t>(value->count));
    for (size_t i = 0; i < result.size(); ++i) {
        result[i] = std::bit_cast<float>(static_cast<uint32_t>(element_bits(*value, i)));
    }
    return result;
}

Result<std::vector<int32_t>> GgufFile::get_i32_array(std::string_view key) const {
    const Value* value = find(key);
    if (value == nullptr) return missing(key);
    if (value->type != ValueType::Array || !is_integer(value->element_type)) {
        return wrong_type(key, *value, "array of integers");
    }
    std::vector<int32_t> result(static_cast<size_t>(value->count));
    for (size_t i = 0; i < result.size(); ++i) {
        const uint64_t bits = element_bits(*value, i);
        const std::optional<int64_t> element = integer_value(value->element_type, bits);
        if (!element || *element < std::numeric_limits<int32_t>::min() ||
            *element > std::numeric_limits<int32_t>::max()) {
            return Error{"gguf: key " + quoted(key) + " element " + std::to_string(i) + " (" +
                         (element ? std::to_string(*element) : std::to_string(bits)) +
                         ") does not fit int32"};
        }
        result[i] = static_cast<int32_t>(*element);
    }
    return result;
}

}  // namespace assistd::gguf
