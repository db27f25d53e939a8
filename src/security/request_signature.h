// Request signatures for SecretId/SecretKey pairs: HMAC-SHA256 over a canonical form of the
// request, so a signature proves the key, binds the body and cannot be reused later.
//
//   Authorization: ASSISTD-HMAC-SHA256 Credential=sid_0123456789abcdef, Signature=<64 hex>
//   X-Assistd-Timestamp: 1767225600          (Unix seconds; must be within ±5 min of the server)
//   X-Assistd-Nonce: <unique per request>    (a replay within the window is refused)
//
// The signed string is these lines joined by "\n":
//   ASSISTD-HMAC-SHA256
//   POST                                      method, upper case
//   /v1/chat/completions                      path, as sent
//   a=1&b=x%20y                               query: pairs percent-decoded, re-encoded RFC 3986
//                                             (unreserved kept, the rest %XX upper case), sorted
//   <timestamp>
//   <nonce>
//   <hex SHA-256 of the body>
// Sorting and re-encoding the query (as cloud request signing does) keeps the signature stable
// across clients that order or escape parameters differently.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::security {

inline constexpr std::string_view kSignatureScheme = "ASSISTD-HMAC-SHA256";
inline constexpr std::string_view kTimestampHeader = "X-Assistd-Timestamp";
inline constexpr std::string_view kNonceHeader = "X-Assistd-Nonce";

struct SignedParts {
    std::string_view method{};
    std::string_view target{};  // path and query
    std::string_view body{};
    std::string_view timestamp{};
    std::string_view nonce{};
};

std::string canonical_query(std::string_view query);
std::string string_to_sign(const SignedParts& parts);
// Hex HMAC-SHA256 of string_to_sign(parts) under `secret_key`.
std::string sign_request(std::string_view secret_key, const SignedParts& parts);
// The Authorization value a client sends.
std::string signature_authorization(std::string_view secret_id, std::string_view signature);

struct SignatureCredential {
    std::string secret_id{};
    std::string signature{};  // hex
};
// Parses "ASSISTD-HMAC-SHA256 Credential=..., Signature=..."; Error when malformed.
Result<SignatureCredential> parse_signature_authorization(std::string_view authorization);

}  // namespace assistd::security
