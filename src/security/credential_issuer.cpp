#include "security/credential_issuer.h"

#include <algorithm>

#include "security/secret_text.h"

namespace assistd::security {
namespace {

constexpr size_t kSecretBytes = 32;  // 256 bits: unguessable, so a fast hash suffices
constexpr size_t kIdBytes = 8;
constexpr size_t kSaltBytes = 32;

std::string join(const std::vector<std::string>& models) {
    std::string text;
    for (const std::string& model : models) text += (text.empty() ? "" : ",") + model;
    return text;
}

store::CredentialRecord record_for(const CredentialSpec& spec, std::string kind,
                                   std::string id_prefix, int64_t now) {
    return {.id = id_prefix + to_hex(random_bytes(kIdBytes)),
            .kind = std::move(kind),
            .name = spec.name,
            .scopes = spec.scopes.text(),
            .models = join(spec.models),
            .requests_per_minute = spec.requests_per_minute,
            .tokens_per_minute = spec.tokens_per_minute,
            .max_concurrent = spec.max_concurrent,
            .created_at = now,
            .expires_at = spec.expires_at};
}

std::string_view bearer_prefix(std::string_view kind) { return kind == "session" ? "st-" : "sk-"; }

}  // namespace

std::string CredentialIssuer::attach_secret(store::CredentialRecord& record) const {
    std::string secret = to_hex(random_bytes(kSecretBytes));
    if (record.kind == "secret_pair") {
        record.sealed_secret = sealer_.seal(secret);
        return secret;
    }
    record.salt = random_bytes(kSaltBytes);
    record.secret_hash = hash_secret(record.salt, secret);
    return std::string(bearer_prefix(record.kind)) + record.id + "." + secret;
}

Result<IssuedCredential> CredentialIssuer::issue(store::CredentialRecord record) {
    std::string secret = attach_secret(record);
    if (auto stored = store_.insert(record); !stored) return stored.error();
    return IssuedCredential{std::move(record), std::move(secret)};
}

Result<IssuedCredential> CredentialIssuer::create_api_key(const CredentialSpec& spec, int64_t now) {
    return issue(record_for(spec, "api_key", "ak_", now));
}

Result<IssuedCredential> CredentialIssuer::create_secret_pair(const CredentialSpec& spec,
                                                              int64_t now) {
    return issue(record_for(spec, "secret_pair", "sid_", now));
}

Result<IssuedCredential> CredentialIssuer::rotate(const std::string& id, int64_t grace_seconds,
                                                  int64_t now) {
    auto found = store_.find(id);
    if (!found) return found.error();
    const std::optional<store::CredentialRecord>& old = *found;
    if (!old || old->kind == "session" || old->revoked_at) {
        return Error{"no active key or SecretId " + id};
    }
    store::CredentialRecord successor = *old;
    successor.id = std::string(old->kind == "api_key" ? "ak_" : "sid_") + to_hex(random_bytes(kIdBytes));
    successor.created_at = now;
    // The successor lives as long as its predecessor was meant to.
    if (old->expires_at) successor.expires_at = now + (*old->expires_at - old->created_at);
    successor.parent_id = old->id;
    std::string secret = attach_secret(successor);
    if (auto rotated = store_.rotate(id, now + grace_seconds, successor); !rotated) {
        return rotated.error();
    }
    return IssuedCredential{std::move(successor), std::move(secret)};
}

Result<IssuedCredential> CredentialIssuer::issue_session(const Principal& issuer, ScopeSet scopes,
                                                         int64_t seconds, int64_t now) {
    if (seconds <= 0 || seconds > kMaxSessionSeconds) {
        return Error{"expires_in must be 1.." + std::to_string(kMaxSessionSeconds) + " seconds"};
    }
    if (!scopes.within(issuer.scopes)) {
        return Error{"a session may not have scopes its issuer lacks (issuer has " +
                     issuer.scopes.text() + ")"};
    }
    CredentialSpec spec{.name = "session of " + issuer.credential_id,
                        .scopes = scopes,
                        .models = issuer.models,
                        .expires_at = now + seconds,
                        .requests_per_minute = issuer.requests_per_minute,
                        .tokens_per_minute = issuer.tokens_per_minute,
                        .max_concurrent = issuer.max_concurrent};
    if (issuer.expires_at) spec.expires_at = std::min(*spec.expires_at, *issuer.expires_at);
    store::CredentialRecord record = record_for(spec, "session", "st_", now);
    record.parent_id = issuer.root_id;
    return issue(std::move(record));
}

Result<BearerToken> parse_bearer_token(std::string_view token) {
    if (!token.starts_with("sk-") && !token.starts_with("st-")) {
        return Error{"the bearer token is not an assistd key (sk-...) or session token (st-...)"};
    }
    token.remove_prefix(3);
    const size_t dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == token.size()) {
        return Error{"the bearer token is malformed"};
    }
    return BearerToken{std::string(token.substr(0, dot)), std::string(token.substr(dot + 1))};
}

}  // namespace assistd::security
