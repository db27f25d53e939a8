#include "store/credential_store.h"

#include <filesystem>

namespace assistd::store {
namespace {

constexpr const char* kColumns =
    "id, kind, name, salt, secret_hash, sealed_secret, scopes, models, requests_per_minute, "
    "tokens_per_minute, max_concurrent, created_at, expires_at, revoked_at, parent_id";

Value optional_value(const std::optional<int64_t>& value) {
    return value ? Value(*value) : Value(nullptr);
}

std::vector<Value> values_of(const CredentialRecord& r) {
    return {r.id,
            r.kind,
            r.name,
            Blob{r.salt},
            Blob{r.secret_hash},
            Blob{r.sealed_secret},
            r.scopes,
            r.models,
            r.requests_per_minute,
            r.tokens_per_minute,
            r.max_concurrent,
            r.created_at,
            optional_value(r.expires_at),
            optional_value(r.revoked_at),
            r.parent_id};
}

CredentialRecord record_of(const Row& row) {
    return {.id = text_of(row[0]),
            .kind = text_of(row[1]),
            .name = text_of(row[2]),
            .salt = text_of(row[3]),
            .secret_hash = text_of(row[4]),
            .sealed_secret = text_of(row[5]),
            .scopes = text_of(row[6]),
            .models = text_of(row[7]),
            .requests_per_minute = integer_of(row[8]),
            .tokens_per_minute = integer_of(row[9]),
            .max_concurrent = integer_of(row[10]),
            .created_at = integer_of(row[11]),
            .expires_at = optional_integer_of(row[12]),
            .revoked_at = optional_integer_of(row[13]),
            .parent_id = text_of(row[14])};
}

}  // namespace

Migrations credential_migrations() {
    return {
        R"(CREATE TABLE credentials (
               id TEXT PRIMARY KEY,
               kind TEXT NOT NULL CHECK (kind IN ('api_key', 'secret_pair', 'session')),
               name TEXT NOT NULL,
               salt BLOB NOT NULL,
               secret_hash BLOB NOT NULL,
               sealed_secret BLOB NOT NULL,
               scopes TEXT NOT NULL,
               models TEXT NOT NULL,
               requests_per_minute INTEGER NOT NULL,
               tokens_per_minute INTEGER NOT NULL,
               max_concurrent INTEGER NOT NULL,
               created_at INTEGER NOT NULL,
               expires_at INTEGER,
               revoked_at INTEGER,
               parent_id TEXT NOT NULL);
           CREATE INDEX credentials_by_kind ON credentials (kind, created_at);)",
    };
}

Result<CredentialStore> CredentialStore::open(const std::string& data_dir) {
    std::error_code ec;
    // A new data directory is owner-only, like the files it will hold.
    if (std::filesystem::create_directories(data_dir, ec)) {
        std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) return Error{data_dir + ": cannot create the data directory: " + ec.message()};
    Result<Database> db = Database::open((std::filesystem::path(data_dir) / "assistd.db").string(),
                                         credential_migrations());
    if (!db) return db.error();
    return CredentialStore(std::move(*db));
}

Result<void> CredentialStore::insert(const CredentialRecord& record) {
    return db_.execute(std::string("INSERT INTO credentials (") + kColumns +
                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                           "?14, ?15)",
                       values_of(record));
}

Result<std::optional<CredentialRecord>> CredentialStore::find(const std::string& id) {
    auto rows =
        db_.query(std::string("SELECT ") + kColumns + " FROM credentials WHERE id = ?1", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<CredentialRecord>();
    return std::optional<CredentialRecord>(record_of(rows->front()));
}

Result<std::vector<CredentialRecord>> CredentialStore::list() {
    auto rows = db_.query(std::string("SELECT ") + kColumns +
                          " FROM credentials WHERE kind != 'session' ORDER BY created_at, id");
    if (!rows) return rows.error();
    std::vector<CredentialRecord> records;
    for (const Row& row : *rows) records.push_back(record_of(row));
    return records;
}

Result<bool> CredentialStore::revoke(const std::string& id, int64_t now) {
    auto done = db_.execute(
        "UPDATE credentials SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", {id, now});
    if (!done) return done.error();
    return db_.changes() > 0;
}

Result<void> CredentialStore::rotate(const std::string& old_id, int64_t old_expires_at,
                                     const CredentialRecord& successor) {
    return db_.transaction([&]() -> Result<void> {
        auto shortened = db_.execute(
            "UPDATE credentials SET expires_at = min(coalesce(expires_at, ?2), ?2) "
            "WHERE id = ?1 AND revoked_at IS NULL",
            {old_id, old_expires_at});
        if (!shortened) return shortened;
        if (db_.changes() == 0) return Error{"no active credential " + old_id};
        return insert(successor);
    });
}

}  // namespace assistd::store
