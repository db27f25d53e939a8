// Authenticator: turns the credential a request presents — a bearer API key or session token, or
// a SecretId signature — into a Principal, or says why not (every failure is a 401).
//
// Each request reads the credential from the store, so a key created, revoked or rotated by
// `assistd keys` takes effect on the next request without a restart.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"
#include "security/key_sealer.h"
#include "security/nonce_cache.h"
#include "security/principal.h"
#include "store/credential_store.h"

namespace assistd::security {

struct AuthPolicy {
    int64_t max_skew_seconds = 300;  // signed requests: |timestamp - now| ≤ this
    int64_t rotation_days = 0;       // > 0: keys older than this are refused, and warned of before
    int64_t rotation_warning_days = 7;
    size_t nonce_capacity = 100'000;
};

// What a request presents; empty fields are absent headers.
struct PresentedRequest {
    std::string_view authorization{};
    std::string_view timestamp{};  // X-Assistd-Timestamp
    std::string_view nonce{};      // X-Assistd-Nonce
    std::string_view method{};
    std::string_view target{};
    std::string_view body{};
};

class Authenticator {
  public:
    Authenticator(store::CredentialStore& store, const KeySealer& sealer, AuthPolicy policy);

    // `now`: Unix seconds.
    Result<Principal> authenticate(const PresentedRequest& request, int64_t now);

    // Why a stored credential is no longer usable at `now`, or "" when it is.
    std::string unusable_reason(const store::CredentialRecord& record, int64_t now) const;
    // As `assistd keys list` shows it: "revoked", "expired", "expires in N days" (within
    // rotation_warning_days of its expiry or of auth.rotation_days), or "active".
    std::string status(const store::CredentialRecord& record, int64_t now) const;

  private:
    Result<Principal> bearer(std::string_view token, int64_t now);
    Result<Principal> signed_request(const PresentedRequest& request, int64_t now);
    Result<store::CredentialRecord> usable(const std::string& id, int64_t now);
    void warn_of_rotation(const store::CredentialRecord& record, int64_t now);
    // When auth.rotation_days disables the credential; nullopt: never (no policy, a session).
    std::optional<int64_t> rotation_due(const store::CredentialRecord& record) const;

    store::CredentialStore& store_;
    const KeySealer& sealer_;
    AuthPolicy policy_;
    NonceCache nonces_;
    std::mutex mutex_;              // the store is one SQLite connection
    std::set<std::string> warned_;  // keys already warned of, logged once per process
};

}  // namespace assistd::security
