// GPT-2's reversible byte <-> Unicode mapping used by byte-level BPE vocabularies.
//
// Every byte maps to one printable code point (printable Latin-1 bytes map to themselves, the
// others to U+0100 and up, in byte order), so a vocabulary of UTF-8 strings covers arbitrary bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assistd::byte_unicode {

// UTF-8 of the code point that stands for `byte`.
const std::string& encode_byte(uint8_t byte);

// The byte a code point stands for, or nullopt when it is not in the mapping.
std::optional<uint8_t> decode_code_point(uint32_t code_point);

// Maps every byte of `raw` to its stand-in code point.
std::string encode(std::string_view raw);

}  // namespace assistd::byte_unicode
