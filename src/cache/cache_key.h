// CacheKey: what identifies one cacheable answer — the canonical text of everything that decides
// it (route, model, model version, the normalized request) — and a digest of that text.
//
// Backends index entries by the digest but compare the full text before answering, so two
// requests whose digests collide can never be given each other's answer.
#pragma once

#include <string>

namespace assistd::cache {

struct CacheKey {
    std::string text;    // canonical: equal requests give equal text, byte for byte
    std::string digest;  // hex SHA-256 of text; what backends index by

    static CacheKey of(std::string text);
};

}  // namespace assistd::cache
