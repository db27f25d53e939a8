#include "engine/tokenizer/token_piece.h"

#include <array>
#include <cstdio>
#include <string_view>

#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/utf8.h"

namespace assistd {
namespace {

constexpr std::string_view kEscapedSpace = "\xE2\x96\x81";  // U+2581

std::string unescape_spaces(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        if (text.substr(pos, kEscapedSpace.size()) == kEscapedSpace) {
            out += ' ';
            pos += kEscapedSpace.size();
        } else {
            out += text[pos++];
        }
    }
    return out;
}

// "<0xNN>" -> the byte NN.
std::string byte_of(std::string_view text) {
    unsigned value = 0;
    if (text.size() != 6 || std::sscanf(std::string(text).c_str(), "<0x%02X>", &value) != 1) {
        return {};
    }
    return std::string(1, static_cast<char>(value));
}

std::string unmap_bytes(std::string_view text) {
    std::string out;
    for (const uint32_t cp : utf8::decode(text)) {
        if (const auto byte = byte_unicode::decode_code_point(cp)) {
            out += static_cast<char>(*byte);
            continue;
        }
        // Not a byte stand-in: llama.cpp writes a marker naming it rather than failing.
        const std::string raw = utf8::encode(cp);
        out += "[UNK_BYTE_0x";
        for (const char c : raw) {
            std::array<char, 3> hex{};
            std::snprintf(hex.data(), hex.size(), "%02x", static_cast<uint8_t>(c));
            out += hex.data();
        }
        out.append(text).append("]");
    }
    return out;
}

}  // namespace

std::string render_piece(const Vocab& vocab, int32_t id) {
    const TokenData& token = vocab.token(id);
    constexpr uint32_t kAsWritten =
        token_attr::kControl | token_attr::kUnknown | token_attr::kUserDefined;
    if (token.attr & kAsWritten) return token.text;
    if (token.attr & token_attr::kNormal) {
        return vocab.type() == VocabType::Bpe ? unmap_bytes(token.text)
                                              : unescape_spaces(token.text);
    }
    if ((token.attr & token_attr::kByte) && vocab.type() != VocabType::Bpe) {
        return byte_of(token.text);
    }
    return {};
}

}  // namespace assistd
