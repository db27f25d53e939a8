#include "store/database.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace assistd::store {
namespace {

// Another process (the CLI) may hold the write lock for a moment; wait rather than fail.
constexpr int kBusyTimeoutMs = 5'000;

struct StatementCloser {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementCloser>;

int bind(sqlite3_stmt* statement, int index, const Value& value) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
        return sqlite3_bind_int64(statement, index, *number);
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
        return sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                                 SQLITE_TRANSIENT);
    }
    if (const auto* blob = std::get_if<Blob>(&value)) {
        // A non-null pointer even when empty: a null one would bind NULL instead.
        return sqlite3_bind_blob(statement, index, blob->bytes.data(),
                                 static_cast<int>(blob->bytes.size()), SQLITE_TRANSIENT);
    }
    return sqlite3_bind_null(statement, index);
}

Value column(sqlite3_stmt* statement, int index) {
    switch (sqlite3_column_type(statement, index)) {
        case SQLITE_INTEGER:
            return sqlite3_column_int64(statement, index);
        case SQLITE_NULL:
            return nullptr;
        default: {
            const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, index));
            return std::string(bytes == nullptr ? "" : bytes,
                               static_cast<size_t>(sqlite3_column_bytes(statement, index)));
        }
    }
}

// Creates the file owner-only before SQLite opens it: it holds credential hashes and sealed
// secrets, which are useless to a reader but still nobody else's business.
Result<void> create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return Error{path + ": cannot create the database file"};
    ::close(fd);
    return {};
}

}  // namespace

Result<Database> Database::open(const std::string& path, const Migrations& migrations) {
    if (Result<void> created = create_private_file(path); !created) return created.error();
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Database db(raw);
    if (rc != SQLITE_OK) return db.error(path);
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    if (auto wal = db.query("PRAGMA journal_mode=WAL"); !wal) return wal.error();
    if (auto fk = db.execute("PRAGMA foreign_keys=ON"); !fk) return fk.error();
    if (auto migrated = db.migrate(migrations); !migrated) return migrated.error();
    return db;
}

Error Database::error(std::string_view what) const {
    return Error{std::string(what) + ": " + sqlite3_errmsg(db_.get())};
}

Result<std::vector<Row>> Database::query(std::string_view sql, const std::vector<Value>& params) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
        return error(sql);
    }
    Statement statement(raw);
    for (size_t i = 0; i < params.size(); ++i) {
        if (bind(raw, static_cast<int>(i + 1), params[i]) != SQLITE_OK) return error(sql);
    }
    std::vector<Row> rows;
    for (;;) {
        const int rc = sqlite3_step(raw);
        if (rc == SQLITE_DONE) return rows;
        if (rc != SQLITE_ROW) return error(sql);
        Row row;
        for (int c = 0; c < sqlite3_column_count(raw); ++c) row.push_back(column(raw, c));
        rows.push_back(std::move(row));
    }
}

Result<void> Database::execute(std::string_view sql, const std::vector<Value>& params) {
    Result<std::vector<Row>> rows = query(sql, params);
    if (!rows) return rows.error();
    return {};
}

int64_t Database::changes() const {
    return sqlite3_changes64(db_.get());
}

Result<void> Database::transaction(const std::function<Result<void>()>& work) {
    if (auto begun = execute("BEGIN IMMEDIATE"); !begun) return begun;
    Result<void> done = work();
    if (done) done = execute("COMMIT");
    if (!done) (void)execute("ROLLBACK");
    return done;
}

int Database::schema_version() {
    Result<std::vector<Row>> rows = query("PRAGMA user_version");
    return rows && !rows->empty() ? static_cast<int>(integer_of((*rows)[0][0])) : 0;
}

Result<void> Database::migrate(const Migrations& migrations) {
    return transaction([&]() -> Result<void> {
        const int from = schema_version();
        if (from > static_cast<int>(migrations.size())) {
            return Error{"the database schema is version " + std::to_string(from) +
                         ", newer than this assistd knows (" + std::to_string(migrations.size()) +
                         "); upgrade assistd"};
        }
        for (size_t step = static_cast<size_t>(from); step < migrations.size(); ++step) {
            if (sqlite3_exec(db_.get(), migrations[step].c_str(), nullptr, nullptr, nullptr) !=
                SQLITE_OK) {
                return error("migration " + std::to_string(step + 1));
            }
        }
        return execute("PRAGMA user_version=" + std::to_string(migrations.size()));
    });
}

int64_t integer_of(const Value& value) {
    const auto* number = std::get_if<int64_t>(&value);
    return number == nullptr ? 0 : *number;
}

std::string text_of(const Value& value) {
    const auto* text = std::get_if<std::string>(&value);
    return text == nullptr ? "" : *text;
}

std::optional<int64_t> optional_integer_of(const Value& value) {
    const auto* number = std::get_if<int64_t>(&value);
    return number == nullptr ? std::nullopt : std::optional<int64_t>(*number);
}

}  // namespace assistd::store
