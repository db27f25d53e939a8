#include "cache/cache_key.h"

#include <openssl/sha.h>

#include <array>
#include <cstdio>

namespace assistd::cache {

CacheKey CacheKey::of(std::string text) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
    std::string hex(digest.size() * 2, '0');
    for (size_t i = 0; i < digest.size(); ++i) {
        std::snprintf(&hex[2 * i], 3, "%02x", digest[i]);
    }
    return {std::move(text), std::move(hex)};
}

}  // namespace assistd::cache
