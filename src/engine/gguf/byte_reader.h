// ByteReader: a bounds-checked little-endian cursor over untrusted bytes.
//
// Every read checks the bytes that remain before it touches them, and every count is checked
// against what remains before anything is allocated for it. Errors read
//   gguf: <context>: <subject> at byte <offset> <problem>
// so that each one names what is wrong, where it sits (key or tensor) and its byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::gguf {

// "gguf: <context>: <subject> at byte <at> <problem>"; no "<context>: " when context is empty.
Error gguf_error(std::string_view context, size_t at, std::string_view subject,
                 std::string_view problem);

// A key or tensor name for an error message: quoted, cut to a readable length, and with control
// bytes replaced, because names come from the untrusted file.
std::string quoted(std::string_view name);

// The unsigned little-endian integer in the `n_bytes` (at most 8) bytes at `p`.
inline uint64_t load_le(const uint8_t* p, size_t n_bytes) {
    uint64_t value = 0;
    for (size_t i = 0; i < n_bytes; ++i) value |= static_cast<uint64_t>(p[i]) << (8 * i);
    return value;
}

// Reserves room in `items` for `count` elements, but at most for a number that cannot cost much:
// a count read from the file is believed only as far as its elements actually parse, because
// one element in memory can take more bytes than its smallest encoding in the file.
template <typename Vector>
void reserve_bounded(Vector& items, uint64_t count) {
    constexpr uint64_t kMaxUpfront = 1 << 16;
    items.reserve(static_cast<size_t>(count < kMaxUpfront ? count : kMaxUpfront));
}

class ByteReader {
  public:
    explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

    size_t offset() const { return offset_; }
    size_t size() const { return bytes_.size(); }
    size_t remaining() const { return bytes_.size() - offset_; }
    const uint8_t* at(size_t offset) const { return bytes_.data() + offset; }

    // Names the key or tensor being read, for every error that follows; empty for none.
    void set_context(std::string context) { context_ = std::move(context); }

    Error error(size_t at, std::string_view subject, std::string_view problem) const {
        return gguf_error(context_, at, subject, problem);
    }
    // The error for `subject` at `at` needing more bytes than the file has.
    Error past_end(size_t at, std::string_view subject) const;

    // Reads an unsigned little-endian integer of `n_bytes` (1, 2, 4 or 8), zero-extended.
    Result<uint64_t> read_uint(size_t n_bytes, std::string_view subject);
    Result<uint32_t> read_u32(std::string_view subject);
    Result<uint64_t> read_u64(std::string_view subject);
    // Returns the next `n_bytes` bytes and moves past them.
    Result<const uint8_t*> take(uint64_t n_bytes, std::string_view subject);
    // A GGUF string: a uint64 length, then that many bytes.
    Result<std::string_view> read_string(std::string_view subject);

    // Checks that `count` elements of at least `min_size` bytes each can follow the current
    // offset; `at` is where the count was read. Call it before reserving room for them.
    Result<void> check_count(uint64_t count, size_t min_size, std::string_view subject,
                             size_t at) const;

  private:
    std::span<const uint8_t> bytes_;
    size_t offset_ = 0;
    std::string context_;
};

}  // namespace assistd::gguf
