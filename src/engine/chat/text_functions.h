// Python's string operations on UTF-8 text, as templates call them through filters and methods.
// Case mapping is ASCII-only: other scripts (Chinese has no case) pass through unchanged.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assistd::chat {

// The text cut into code points, each a UTF-8 substring (a stray byte is its own piece).
std::vector<std::string_view> code_points(std::string_view text);
size_t code_point_count(std::string_view text);

enum class StripSide { Both, Left, Right };
// str.strip(chars): whitespace when chars is absent.
std::string python_strip(std::string_view text, std::optional<std::string_view> chars,
                         StripSide side);

std::string ascii_upper(std::string_view text);
std::string ascii_lower(std::string_view text);
std::string python_capitalize(std::string_view text);  // "hELLO wORLD" -> "Hello world"
std::string python_title(std::string_view text);       // str.title(): "they're" -> "They'Re"
std::string jinja_title(std::string_view text);  // the title filter: words split at - ( [ { < space

// str.replace(old, new, count); count < 0 replaces all. Python inserts `replacement` between every
// code point when `old` is empty.
std::string python_replace(std::string_view text, std::string_view old,
                           std::string_view replacement, int64_t count);

// str.split(sep, maxsplit): runs of whitespace when sep is absent (no empty pieces then).
// Fails with a Type error for an empty separator, as Python raises ValueError.
std::vector<std::string> python_split(std::string_view text, std::optional<std::string_view> sep,
                                      int64_t maxsplit);

bool is_python_space(char c);

// `text` with each character found in `replacements` written as its replacement.
std::string replace_chars(std::string_view text,
                          std::initializer_list<std::pair<char, std::string_view>> replacements);

// markupsafe.escape: & < > " ' as HTML entities.
std::string html_escape(std::string_view text);

}  // namespace assistd::chat
