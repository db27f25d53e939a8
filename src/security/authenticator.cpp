#include "security/authenticator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "security/credential_issuer.h"
#include "security/request_signature.h"
#include "security/secret_text.h"

namespace assistd::security {
namespace {

constexpr int64_t kDay = 86'400;
constexpr size_t kMaxNonceLength = 128;

}  // namespace

Authenticator::Authenticator(store::CredentialStore& store, const KeySealer& sealer,
                             AuthPolicy policy)
    : store_(store),
      sealer_(sealer),
      policy_(policy),
      nonces_(policy.nonce_capacity, policy.max_skew_seconds) {}

std::optional<int64_t> Authenticator::rotation_due(const store::CredentialRecord& record) const {
    if (policy_.rotation_days <= 0 || record.kind == "session") return std::nullopt;
    return record.created_at + policy_.rotation_days * kDay;
}

std::string Authenticator::unusable_reason(const store::CredentialRecord& record,
                                           int64_t now) const {
    if (record.revoked_at) return "credential " + record.id + " was revoked";
    if (record.expires_at && now >= *record.expires_at)
        return "credential " + record.id + " expired";
    if (const auto due = rotation_due(record); due && now >= *due) {
        return "credential " + record.id + " is older than auth.rotation_days (" +
               std::to_string(policy_.rotation_days) + "); rotate it with `assistd keys rotate`";
    }
    return "";
}

std::string Authenticator::status(const store::CredentialRecord& record, int64_t now) const {
    if (record.revoked_at) return "revoked";
    if (!unusable_reason(record, now).empty()) return "expired";
    std::optional<int64_t> ends = rotation_due(record);
    if (record.expires_at) ends = ends ? std::min(*ends, *record.expires_at) : *record.expires_at;
    if (!ends || now < *ends - policy_.rotation_warning_days * kDay) return "active";
    const int64_t days = (*ends - now + kDay - 1) / kDay;
    return "expires in " + std::to_string(days) + (days == 1 ? " day" : " days");
}

void Authenticator::warn_of_rotation(const store::CredentialRecord& record, int64_t now) {
    const std::optional<int64_t> due_at = rotation_due(record);
    if (!due_at) return;
    const int64_t due = *due_at;
    if (now < due - policy_.rotation_warning_days * kDay || !warned_.insert(record.id).second)
        return;
    spdlog::warn(
        "credential {} must be rotated within {} days (auth.rotation_days); "
        "run `assistd keys rotate {}`",
        record.id, (due - now + kDay - 1) / kDay, record.id);
}

Result<store::CredentialRecord> Authenticator::usable(const std::string& id, int64_t now) {
    auto found = store_.find(id);
    if (!found) {
        spdlog::error("credential store: {}", found.error().message);
        return Error{"the credential store is unavailable"};
    }
    if (!*found) return Error{"unknown credential"};
    if (std::string reason = unusable_reason(**found, now); !reason.empty()) return Error{reason};
    warn_of_rotation(**found, now);
    return std::move(**found);
}

Result<Principal> Authenticator::authenticate(const PresentedRequest& request, int64_t now) {
    std::lock_guard lock(mutex_);
    if (request.authorization.empty()) {
        return Error{
            "missing credentials: send `Authorization: Bearer sk-...` (create a key with "
            "`assistd keys create`) or a signed request"};
    }
    // The scheme name is case-insensitive (RFC 9110 §11.1): "bearer sk-..." is a Bearer key.
    constexpr std::string_view kBearer = "bearer ";
    const std::string_view scheme =
        std::string_view(request.authorization).substr(0, kBearer.size());
    const bool is_bearer =
        std::equal(scheme.begin(), scheme.end(), kBearer.begin(), kBearer.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    if (is_bearer) return bearer(request.authorization.substr(kBearer.size()), now);
    return signed_request(request, now);
}

Result<Principal> Authenticator::bearer(std::string_view token, int64_t now) {
    Result<BearerToken> parsed = parse_bearer_token(token);
    if (!parsed) return parsed.error();
    Result<store::CredentialRecord> record = usable(parsed->id, now);
    if (!record) return record.error();
    const bool is_session = record->kind == "session";
    if ((token.starts_with("st-") != is_session) || record->kind == "secret_pair" ||
        !same_secret(hash_secret(record->salt, parsed->secret), record->secret_hash)) {
        return Error{"invalid credential"};
    }
    // A session dies with its issuer: revoking a key revokes what it handed out.
    if (is_session) {
        if (auto issuer = usable(record->parent_id, now); !issuer) {
            return Error{"the session's issuer is no longer valid"};
        }
    }
    return principal_of(*record);
}

Result<Principal> Authenticator::signed_request(const PresentedRequest& request, int64_t now) {
    Result<SignatureCredential> credential = parse_signature_authorization(request.authorization);
    if (!credential)
        return Error{"unsupported authorization: use Bearer or " + std::string(kSignatureScheme)};
    int64_t timestamp = 0;
    const auto* end = request.timestamp.data() + request.timestamp.size();
    if (request.timestamp.empty() ||
        std::from_chars(request.timestamp.data(), end, timestamp).ptr != end) {
        return Error{"a signed request needs " + std::string(kTimestampHeader) +
                     " in Unix seconds"};
    }
    if (timestamp < now - policy_.max_skew_seconds || timestamp > now + policy_.max_skew_seconds) {
        return Error{"the request timestamp is more than " +
                     std::to_string(policy_.max_skew_seconds) + " s from the server's clock"};
    }
    if (request.nonce.empty() || request.nonce.size() > kMaxNonceLength) {
        return Error{"a signed request needs " + std::string(kNonceHeader) + " (1.." +
                     std::to_string(kMaxNonceLength) + " characters)"};
    }
    Result<store::CredentialRecord> record = usable(credential->secret_id, now);
    if (!record) return record.error();
    if (record->kind != "secret_pair") return Error{"invalid credential"};
    Result<std::string> secret_key = sealer_.open(record->sealed_secret);
    if (!secret_key) {
        spdlog::error("credential {}: {}", record->id, secret_key.error().message);
        return Error{"invalid credential"};
    }
    const std::string expected = sign_request(
        *secret_key,
        {request.method, request.target, request.body, request.timestamp, request.nonce});
    if (!same_secret(expected, credential->signature)) return Error{"invalid signature"};
    // Only a correctly signed request may spend a nonce, so nobody can burn another's nonces.
    if (!nonces_.first_use(record->id, std::string(request.nonce), timestamp, now)) {
        return Error{"replayed request: this nonce was already used"};
    }
    return principal_of(*record);
}

}  // namespace assistd::security
