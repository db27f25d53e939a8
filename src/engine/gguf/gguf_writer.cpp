#include "engine/gguf/gguf_writer.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace assistd::gguf {
namespace {

constexpr uint32_t kVersion = 3;
constexpr size_t kMaxDims = 4;

uint64_t align_up(uint64_t offset, uint64_t alignment) {
    return (offset + alignment - 1) / alignment * alignment;
}

}  // namespace

void append_le(std::vector<uint8_t>& out, uint64_t value, size_t n_bytes) {
    for (size_t i = 0; i < n_bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void append_string(std::vector<uint8_t>& out, std::string_view text) {
    append_le(out, text.size(), 8);
    out.insert(out.end(), text.begin(), text.end());
}

std::vector<uint8_t> GgufWriter::array_header(ValueType element_type, size_t count) {
    std::vector<uint8_t> encoded;
    append_le(encoded, static_cast<uint32_t>(element_type), 4);
    append_le(encoded, count, 8);
    return encoded;
}

void GgufWriter::add_string(std::string_view key, std::string_view value) {
    std::vector<uint8_t> encoded;
    append_string(encoded, value);
    add_raw(key, ValueType::String, encoded);
}

void GgufWriter::add_string_array(std::string_view key, std::span<const std::string> values) {
    std::vector<std::string_view> views(values.begin(), values.end());
    add_string_array(key, std::span<const std::string_view>(views));
}

void GgufWriter::add_string_array(std::string_view key, std::span<const std::string_view> values) {
    std::vector<uint8_t> encoded = array_header(ValueType::String, values.size());
    for (std::string_view value : values) append_string(encoded, value);
    add_raw(key, ValueType::Array, encoded);
}

void GgufWriter::add_raw(std::string_view key, ValueType type, std::span<const uint8_t> encoded) {
    Entry entry{std::string(key), type, std::vector<uint8_t>(encoded.begin(), encoded.end())};
    auto same_key = [&](const Entry& e) { return e.key == key; };
    if (auto found = std::find_if(entries_.begin(), entries_.end(), same_key);
        found != entries_.end()) {
        *found = std::move(entry);
        return;
    }
    entries_.push_back(std::move(entry));
}

void GgufWriter::set_alignment(uint32_t alignment) {
    assert(alignment != 0 && (alignment & (alignment - 1)) == 0);
    alignment_ = alignment;
    add_uint32("general.alignment", alignment);
}

Result<void> GgufWriter::add_tensor(std::string_view name, DType type, std::span<const int64_t> ne,
                                    std::vector<uint8_t> data) {
    const std::string where = "gguf writer: tensor '" + std::string(name) + "': ";
    auto same_name = [&](const Tensor& t) { return t.name == name; };
    if (std::any_of(tensors_.begin(), tensors_.end(), same_name)) {
        return Error{where + "added twice"};
    }
    if (ne.empty() || ne.size() > kMaxDims) return Error{where + "needs 1 to 4 dims"};
    int64_t n_elements = 1;
    for (int64_t dim : ne) {
        if (dim <= 0) return Error{where + "dim " + std::to_string(dim) + " is not positive"};
        if (__builtin_mul_overflow(n_elements, dim, &n_elements)) {
            return Error{where + "element count overflows"};
        }
    }
    const DTypeTraits& traits = traits_of(type);
    if (ne[0] % traits.block_size != 0) {
        return Error{where + "row length " + std::to_string(ne[0]) +
                     " is not a multiple of the block size " + std::to_string(traits.block_size)};
    }
    const size_t expected = row_bytes(type, ne[0]) * static_cast<size_t>(n_elements / ne[0]);
    if (data.size() != expected) {
        return Error{where + "has " + std::to_string(data.size()) +
                     " bytes of data, its shape needs " + std::to_string(expected)};
    }
    tensors_.push_back(Tensor{std::string(name), type, {ne.begin(), ne.end()}, std::move(data)});
    return {};
}

std::vector<uint8_t> GgufWriter::head() const {
    std::vector<uint8_t> out = {'G', 'G', 'U', 'F'};
    append_le(out, kVersion, 4);
    append_le(out, tensors_.size(), 8);
    append_le(out, entries_.size(), 8);
    for (const Entry& entry : entries_) {
        append_string(out, entry.key);
        append_le(out, static_cast<uint32_t>(entry.type), 4);
        out.insert(out.end(), entry.encoded.begin(), entry.encoded.end());
    }
    uint64_t offset = 0;
    for (const Tensor& tensor : tensors_) {
        append_string(out, tensor.name);
        append_le(out, tensor.ne.size(), 4);
        for (int64_t dim : tensor.ne) append_le(out, static_cast<uint64_t>(dim), 8);
        append_le(out, static_cast<uint32_t>(tensor.type), 4);
        append_le(out, offset, 8);
        offset = align_up(offset + tensor.data.size(), alignment_);
    }
    out.resize(align_up(out.size(), alignment_), 0);
    return out;
}

void GgufWriter::emit(const std::function<void(std::span<const uint8_t>)>& sink) const {
    sink(head());
    const std::vector<uint8_t> zeros(alignment_, 0);
    for (const Tensor& tensor : tensors_) {
        sink(tensor.data);
        const size_t padding = align_up(tensor.data.size(), alignment_) - tensor.data.size();
        sink(std::span<const uint8_t>(zeros).first(padding));
    }
}

std::vector<uint8_t> GgufWriter::to_bytes() const {
    std::vector<uint8_t> out;
    emit(
        [&](std::span<const uint8_t> piece) { out.insert(out.end(), piece.begin(), piece.end()); });
    return out;
}

Result<void> GgufWriter::write_file(const std::filesystem::path& path) const {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return Error{"gguf writer: cannot create " + temporary.string() + ": " +
                         std::strerror(errno)};
        emit([&](std::span<const uint8_t> piece) {
            out.write(reinterpret_cast<const char*>(piece.data()),
                      static_cast<std::streamsize>(piece.size()));
        });
        out.close();
        if (!out) return Error{"gguf writer: cannot write " + temporary.string()};
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        const std::string reason = error.message();
        std::filesystem::remove(temporary, error);
        return Error{"gguf writer: cannot rename " + temporary.string() + " to " + path.string() +
                     ": " + reason};
    }
    return {};
}

}  // namespace assistd::gguf
