#include "engine/tokenizer/utf8.h"

namespace assistd::utf8 {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

bool is_continuation(uint8_t byte) {
    return (byte & 0xC0) == 0x80;
}

// Length of the well-formed sequence at text[pos], or 0 when it is ill-formed or cut short.
// The second-byte ranges exclude overlong forms, surrogates and values above U+10FFFF.
size_t valid_sequence_at(std::string_view text, size_t pos) {
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[pos + i]); };
    const size_t length = sequence_length(byte(0));
    if (length == 0 || pos + length > text.size()) return 0;
    if (length == 1) return 1;
    const uint8_t lead = byte(0);
    const uint8_t second = byte(1);
    uint8_t low = 0x80;
    uint8_t high = 0xBF;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
    if (second < low || second > high) return 0;
    for (size_t i = 2; i < length; ++i) {
        if (!is_continuation(byte(i))) return 0;
    }
    return length;
}

}  // namespace

size_t sequence_length(uint8_t lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

size_t first_invalid(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t length = valid_sequence_at(text, pos);
        if (length == 0) return pos;
        pos += length;
    }
    return pos;
}

Result<void> validate(std::string_view text) {
    const size_t bad = first_invalid(text);
    if (bad == text.size()) return {};
    return Error{"invalid UTF-8 at byte " + std::to_string(bad)};
}

std::vector<uint32_t> decode(std::string_view text) {
    std::vector<uint32_t> code_points;
    code_points.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t length = valid_sequence_at(text, pos);
        if (length == 0) {
            code_points.push_back(kReplacement);
            ++pos;
            continue;
        }
        uint32_t value = static_cast<uint8_t>(text[pos]);
        if (length > 1) value &= 0x7Fu >> length;
        for (size_t i = 1; i < length; ++i) {
            value = (value << 6) | (static_cast<uint8_t>(text[pos + i]) & 0x3F);
        }
        code_points.push_back(value);
        pos += length;
    }
    return code_points;
}

void append(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string encode(uint32_t code_point) {
    std::string out;
    append(out, code_point);
    return out;
}

std::string make_valid(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t length = valid_sequence_at(text, pos);
        if (length == 0) {
            append(out, kReplacement);
            ++pos;
        } else {
            out.append(text.substr(pos, length));
            pos += length;
        }
    }
    return out;
}

size_t incomplete_tail(std::string_view text) {
    // A sequence is at most 4 bytes, so only the last 3 bytes can start an unfinished one.
    const size_t lookback = text.size() < 3 ? text.size() : 3;
    for (size_t back = 1; back <= lookback; ++back) {
        const size_t pos = text.size() - back;
        const auto lead = static_cast<uint8_t>(text[pos]);
        if (is_continuation(lead)) continue;
        const size_t length = sequence_length(lead);
        if (length <= back) return 0;
        // A lone lead byte can always still become valid. Otherwise the second byte is known:
        // pad with continuation bytes (only the second byte has a narrowed range) and check.
        if (back == 1) return 1;
        std::string probe(text.substr(pos));
        probe.resize(length, static_cast<char>(0x80));
        return valid_sequence_at(probe, 0) == length ? back : 0;
    }
    return 0;
}

}  // namespace assistd::utf8
