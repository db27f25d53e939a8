#include "engine/gguf/byte_reader.h"

namespace assistd::gguf {

namespace {

constexpr size_t kMaxQuotedName = 80;

}  // namespace

Error gguf_error(std::string_view context, size_t at, std::string_view subject,
                 std::string_view problem) {
    std::string message = "gguf: ";
    if (!context.empty()) message += std::string(context) + ": ";
    message += std::string(subject) + " at byte " + std::to_string(at) + " " + std::string(problem);
    return Error{std::move(message)};
}

std::string quoted(std::string_view name) {
    std::string out = "'";
    for (char c : name.substr(0, kMaxQuotedName)) {
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
    }
    out += name.size() > kMaxQuotedName ? "'..." : "'";
    return out;
}

Error ByteReader::past_end(size_t at, std::string_view subject) const {
    return error(at, subject, "runs past end of file (size " + std::to_string(size()) + ")");
}

Result<uint64_t> ByteReader::read_uint(size_t n_bytes, std::string_view subject) {
    if (n_bytes > remaining()) return past_end(offset_, subject);
    const uint64_t value = load_le(at(offset_), n_bytes);
    offset_ += n_bytes;
    return value;
}

Result<uint32_t> ByteReader::read_u32(std::string_view subject) {
    Result<uint64_t> value = read_uint(4, subject);
    if (!value) return value.error();
    return static_cast<uint32_t>(*value);
}

Result<uint64_t> ByteReader::read_u64(std::string_view subject) {
    return read_uint(8, subject);
}

Result<const uint8_t*> ByteReader::take(uint64_t n_bytes, std::string_view subject) {
    if (n_bytes > remaining()) return past_end(offset_, subject);
    const uint8_t* start = at(offset_);
    offset_ += static_cast<size_t>(n_bytes);
    return start;
}

Result<std::string_view> ByteReader::read_string(std::string_view subject) {
    const size_t length_at = offset_;
    Result<uint64_t> length = read_u64(std::string(subject) + " length");
    if (!length) return length.error();
    if (*length > remaining()) {
        offset_ = length_at;
        return past_end(length_at, std::string(subject) + " length " + std::to_string(*length));
    }
    const char* chars = reinterpret_cast<const char*>(at(offset_));
    offset_ += static_cast<size_t>(*length);
    return std::string_view(chars, static_cast<size_t>(*length));
}

Result<void> ByteReader::check_count(uint64_t count, size_t min_size, std::string_view subject,
                                     size_t at) const {
    if (count <= remaining() / min_size) return {};
    return error(at, std::string(subject) + " " + std::to_string(count),
                 "runs past end of file (size " + std::to_string(size()) + "; " +
                     std::to_string(remaining()) + " bytes remain, each element takes at least " +
                     std::to_string(min_size) + ")");
}

}  // namespace assistd::gguf
