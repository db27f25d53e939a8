#include "security/secret_text.h"

#include <sodium.h>

namespace assistd::security {

std::string random_bytes(size_t count) {
    std::string bytes(count, '\0');
    randombytes_buf(bytes.data(), count);
    return bytes;
}

std::string to_hex(std::string_view bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    hex.pop_back();
    return hex;
}

Result<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return Error{"odd number of hex digits"};
    std::string bytes(hex.size() / 2, '\0');
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(),
                       hex.size(), nullptr, &length, &end) != 0 ||
        end != hex.data() + hex.size()) {
        return Error{"not hex digits"};
    }
    bytes.resize(length);
    return bytes;
}

std::string hash_secret(std::string_view salt, std::string_view secret) {
    std::string hash(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       reinterpret_cast<const unsigned char*>(salt.data()), salt.size());
    return hash;
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace assistd::security
