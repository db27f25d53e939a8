// CredentialStore: the credentials table. It keeps what verifies a secret (a salted hash) or
// what recovers it (a sealed box), never the secret itself; what those bytes mean is security/'s
// business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/database.h"

namespace assistd::store {

struct CredentialRecord {
    std::string id{};    // public: "ak_...", "sid_...", "st_..."
    std::string kind{};  // "api_key", "secret_pair", "session"
    std::string name{};
    std::string salt{};               // api_key, session: the hash key
    std::string secret_hash{};        // api_key, session: hash of the secret
    std::string sealed_secret{};      // secret_pair: the secret key, sealed by the master key
    std::string scopes{};             // "model:invoke,metrics:read"
    std::string models{};             // allowed model ids, comma separated; "" for any
    int64_t requests_per_minute = 0;  // 0: unlimited
    int64_t tokens_per_minute = 0;
    int64_t max_concurrent = 0;
    int64_t created_at = 0;  // Unix seconds
    std::optional<int64_t> expires_at{};
    std::optional<int64_t> revoked_at{};
    std::string parent_id{};  // session: its issuer; rotated key: its predecessor

    bool operator==(const CredentialRecord&) const = default;
};

class CredentialStore {
  public:
    // Opens `<data_dir>/assistd.db`, creating the directory and migrating the schema.
    static Result<CredentialStore> open(const std::string& data_dir);

    Result<void> insert(const CredentialRecord& record);
    Result<std::optional<CredentialRecord>> find(const std::string& id);
    // Every credential but session tokens, oldest first.
    Result<std::vector<CredentialRecord>> list();
    // false: no such credential, or already revoked.
    Result<bool> revoke(const std::string& id, int64_t now);
    // Inserts `successor` and makes `old_id` expire at `old_expires_at` at the latest, in one
    // transaction: no moment exists with neither key valid.
    Result<void> rotate(const std::string& old_id, int64_t old_expires_at,
                        const CredentialRecord& successor);

  private:
    explicit CredentialStore(Database db) : db_(std::move(db)) {}
    Database db_;
};

Migrations credential_migrations();

}  // namespace assistd::store
