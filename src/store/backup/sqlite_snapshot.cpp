#include "store/backup/sqlite_snapshot.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>

namespace assistd::store {

namespace {

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

Result<Connection> open_connection(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Connection db(raw);
    if (rc != SQLITE_OK) {
        return Error{"cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory")};
    }
    // A writer holding its lock briefly (a key being created) delays the copy instead of failing
    // it.
    sqlite3_busy_timeout(db.get(), 5000);
    return db;
}

}  // namespace

Result<void> snapshot_database(const std::string& source, const std::string& target) {
    Result<Connection> from = open_connection(source, SQLITE_OPEN_READONLY);
    if (!from) return from.error();
    Result<Connection> to = open_connection(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!to) return to.error();
    ::chmod(target.c_str(), 0600);
    sqlite3_backup* backup = sqlite3_backup_init(to->get(), "main", from->get(), "main");
    if (backup == nullptr) {
        return Error{"cannot snapshot " + source + ": " + sqlite3_errmsg(to->get())};
    }
    // All pages in one step: the copy then reflects one transaction, whatever writers do.
    const int stepped = sqlite3_backup_step(backup, -1);
    const int finished = sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
        return Error{"cannot snapshot " + source + ": " + sqlite3_errmsg(to->get())};
    }
    // The copy is a self-contained file: no -wal beside it to lose.
    if (sqlite3_exec(to->get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
        return Error{"cannot snapshot " + source + ": " + sqlite3_errmsg(to->get())};
    }
    return {};
}

}  // namespace assistd::store
