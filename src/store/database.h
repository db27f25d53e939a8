// Database: one SQLite file of durable state, opened in WAL mode so the server can read while
// `assistd keys` writes, with numbered schema migrations and all-or-nothing transactions.
//
//   Result<Database> db = Database::open("data/assistd.db", credential_migrations());
//   db->transaction([&] { ... return Result<void>{}; });
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace assistd::store {

// Bytes bound as a BLOB (hashes, sealed boxes); a std::string is bound as TEXT.
struct Blob {
    std::string bytes;
};

// A value bound to or read from a statement column. Columns read back as std::string whether
// they hold TEXT or BLOB.
using Value = std::variant<std::nullptr_t, int64_t, std::string, Blob>;
using Row = std::vector<Value>;

// Migration i (0-based) brings the schema from user_version i to i + 1. Append, never edit.
using Migrations = std::vector<std::string>;

class Database {
  public:
    // Opens (creating if missing, with mode 0600) and migrates to the newest schema.
    static Result<Database> open(const std::string& path, const Migrations& migrations);

    // Runs one statement with `params` bound to ?1, ?2...; returns every result row.
    Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params = {});
    Result<void> execute(std::string_view sql, const std::vector<Value>& params = {});
    // Rows the last execute changed.
    int64_t changes() const;

    // BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when `work` fails: readers never see half of it.
    Result<void> transaction(const std::function<Result<void>()>& work);

    int schema_version();

  private:
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    explicit Database(sqlite3* db) : db_(db) {}
    Error error(std::string_view what) const;
    Result<void> migrate(const Migrations& migrations);

    std::unique_ptr<sqlite3, Closer> db_;
};

// Reading columns of a Row whose schema the caller knows.
int64_t integer_of(const Value& value);   // 0 for NULL
std::string text_of(const Value& value);  // "" for NULL
std::optional<int64_t> optional_integer_of(const Value& value);

}  // namespace assistd::store
