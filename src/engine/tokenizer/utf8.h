// UTF-8 decoding and encoding for the tokenizers.
//
// Text from users and files is untrusted: decode_utf8 rejects every ill-formed sequence (overlong
// forms, surrogates, values above U+10FFFF, truncated sequences) and says at which byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace assistd::utf8 {

// Length of the sequence a lead byte announces: 1..4, or 0 for a continuation or invalid byte.
size_t sequence_length(uint8_t lead);

// Byte offset of the first ill-formed sequence, or text.size() when the whole text is valid.
size_t first_invalid(std::string_view text);

// Checks that `text` is well-formed UTF-8.
Result<void> validate(std::string_view text);

// The code points of well-formed `text` (call validate first: ill-formed bytes become U+FFFD).
std::vector<uint32_t> decode(std::string_view text);

// Appends the UTF-8 encoding of `code_point` to `out`.
void append(std::string& out, uint32_t code_point);
std::string encode(uint32_t code_point);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string make_valid(std::string_view text);

// Number of bytes at the end of `text` that begin a sequence not yet complete (0..3): a stream
// holds them back until the next piece completes them. Bytes that can never become valid are
// not counted: they are let through as they are.
size_t incomplete_tail(std::string_view text);

}  // namespace assistd::utf8
