#include "engine/tokenizer/byte_unicode.h"

#include <array>
#include <unordered_map>

#include "engine/tokenizer/utf8.h"

namespace assistd::byte_unicode {
namespace {

struct Tables {
    std::array<std::string, 256> byte_to_utf8;
    std::unordered_map<uint32_t, uint8_t> code_point_to_byte;
};

bool maps_to_itself(int byte) {
    return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
           (byte >= 0xAE && byte <= 0xFF);
}

Tables build_tables() {
    Tables tables;
    uint32_t next_extra = 256;
    for (int byte = 0; byte < 256; ++byte) {
        const uint32_t cp = maps_to_itself(byte) ? static_cast<uint32_t>(byte) : next_extra++;
        tables.byte_to_utf8[byte] = utf8::encode(cp);
        tables.code_point_to_byte[cp] = static_cast<uint8_t>(byte);
    }
    return tables;
}

const Tables& tables() {
    static const Tables instance = build_tables();
    return instance;
}

}  // namespace

const std::string& encode_byte(uint8_t byte) {
    return tables().byte_to_utf8[byte];
}

std::optional<uint8_t> decode_code_point(uint32_t code_point) {
    const auto& map = tables().code_point_to_byte;
    const auto it = map.find(code_point);
    if (it == map.end()) return std::nullopt;
    return it->second;
}

std::string encode(std::string_view raw) {
    std::string out;
    out.reserve(raw.size() * 2);
    for (const char c : raw) out += encode_byte(static_cast<uint8_t>(c));
    return out;
}

}  // namespace assistd::byte_unicode
