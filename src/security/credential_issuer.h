// CredentialIssuer: makes new credentials — API keys, SecretId/SecretKey pairs, rotation
// successors and session tokens — and stores them without their secrets. The secret text is
// returned once, to be shown once.
//
//   API key:        sk-ak_0123456789abcdef.<64 hex>       (Authorization: Bearer ...)
//   session token:  st-st_0123456789abcdef.<64 hex>       (Authorization: Bearer ...)
//   SecretId/Key:   sid_0123456789abcdef / <64 hex>       (request signatures)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/key_sealer.h"
#include "security/principal.h"
#include "store/credential_store.h"

namespace assistd::security {

struct CredentialSpec {
    std::string name{};
    ScopeSet scopes{};
    std::vector<std::string> models{};  // empty: any
    std::optional<int64_t> expires_at{};
    int64_t requests_per_minute = 0;
    int64_t tokens_per_minute = 0;
    int64_t max_concurrent = 0;
};

struct IssuedCredential {
    store::CredentialRecord record;
    std::string secret{};  // the bearer token, or the SecretKey of a pair: shown once, never stored
};

// Longest life of a session token.
inline constexpr int64_t kMaxSessionSeconds = 12 * 3600;

class CredentialIssuer {
  public:
    CredentialIssuer(store::CredentialStore& store, const KeySealer& sealer)
        : store_(store), sealer_(sealer) {}

    Result<IssuedCredential> create_api_key(const CredentialSpec& spec, int64_t now);
    Result<IssuedCredential> create_secret_pair(const CredentialSpec& spec, int64_t now);
    // A successor with the same kind, scopes, models and limits; the old credential stays valid
    // for `grace_seconds` more (or until its own expiry, if sooner).
    Result<IssuedCredential> rotate(const std::string& id, int64_t grace_seconds, int64_t now);
    // A bearer session token for `issuer`, no wider than it: scopes within its scopes, same model
    // list and limits, life ≤ kMaxSessionSeconds and ≤ the issuer's.
    Result<IssuedCredential> issue_session(const Principal& issuer, ScopeSet scopes,
                                           int64_t seconds, int64_t now);

  private:
    // Gives `record` a new secret (hashed or sealed into it) and returns the secret's text.
    std::string attach_secret(store::CredentialRecord& record) const;
    Result<IssuedCredential> issue(store::CredentialRecord record);

    store::CredentialStore& store_;
    const KeySealer& sealer_;
};

// A bearer token split into its credential id and secret; Error when it has neither form.
struct BearerToken {
    std::string id{};
    std::string secret{};
};
Result<BearerToken> parse_bearer_token(std::string_view token);

}  // namespace assistd::security
