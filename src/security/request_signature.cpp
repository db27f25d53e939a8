#include "security/request_signature.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "security/secret_text.h"

namespace assistd::security {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    std::string digest(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return to_hex(digest);
}

// The value of `name=` in a comma-separated list of parameters, "" when absent.
std::string parameter(std::string_view text, std::string_view name) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=') {
            return std::string(item.substr(name.size() + 1));
        }
        start = end + 1;
    }
    return "";
}

}  // namespace

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    size_t start = 0;
    while (start < query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        const std::string_view item = query.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        pairs.emplace_back(percent_encode(percent_decode(item.substr(0, equals))),
                           equals == std::string_view::npos
                               ? ""
                               : percent_encode(percent_decode(item.substr(equals + 1))));
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [key, value] : pairs) out += (out.empty() ? "" : "&") + key + "=" + value;
    return out;
}

std::string string_to_sign(const SignedParts& parts) {
    const size_t question = parts.target.find('?');
    const std::string_view path = parts.target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : parts.target.substr(question + 1);
    std::string method(parts.method);
    std::transform(method.begin(), method.end(), method.begin(), ::toupper);
    return std::string(kSignatureScheme) + "\n" + method + "\n" + std::string(path) + "\n" +
           canonical_query(query) + "\n" + std::string(parts.timestamp) + "\n" +
           std::string(parts.nonce) + "\n" + sha256_hex(parts.body);
}

std::string sign_request(std::string_view secret_key, const SignedParts& parts) {
    const std::string message = string_to_sign(parts);
    std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret_key.data()),
                                secret_key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
    return to_hex(mac);
}

std::string signature_authorization(std::string_view secret_id, std::string_view signature) {
    return std::string(kSignatureScheme) + " Credential=" + std::string(secret_id) +
           ", Signature=" + std::string(signature);
}

Result<SignatureCredential> parse_signature_authorization(std::string_view authorization) {
    if (!authorization.starts_with(kSignatureScheme) ||
        authorization.size() == kSignatureScheme.size() ||
        authorization[kSignatureScheme.size()] != ' ') {
        return Error{"not an " + std::string(kSignatureScheme) + " authorization"};
    }
    const std::string_view rest = authorization.substr(kSignatureScheme.size() + 1);
    SignatureCredential credential{parameter(rest, "Credential"), parameter(rest, "Signature")};
    if (credential.secret_id.empty() || credential.signature.empty()) {
        return Error{"the signature authorization needs Credential= and Signature="};
    }
    return credential;
}

}  // namespace assistd::security
