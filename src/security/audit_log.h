// AuditLog: one JSON line per API call — who (credential id, never a secret), from where, what,
// with what result — hash-chained: each line carries the SHA-256 of the line before it, so an
// edited or deleted line breaks the chain at the next one (`assistd audit verify`).
//
//   {"time_ms":1767225600123,"request_id":"req_…","credential":"ak_…","source":"127.0.0.1",
//    "method":"POST","route":"/v1/chat/completions","status":200,"latency_ms":812,
//    "bytes_in":120,"bytes_out":950,"prev":"<64 hex>"}
//
// Rotation (by size, and at each new UTC day of the records) renames the active file to the next
// numbered file (see audit_log_files.h) and starts an empty one; the chain goes on across files —
// the first line of a new file carries the hash of the last line of the one before — so no line
// is lost or repeated and `verify_audit_log` checks the whole series as one chain.
//
// Several processes (the workers of `assistd serve`) may append to one log: each append holds an
// flock on PATH.lock, and a process that finds the file grown or rotated by another since its own
// last line first reads the new last line, so the series stays one chain.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

namespace assistd::security {

struct AuditRecord {
    int64_t time_ms = 0;       // Unix milliseconds when the request arrived
    std::string request_id{};  // as in the response's X-Request-Id and the log's lines
    std::string credential{};  // "" when none was valid
    std::string source{};      // client address
    std::string method{};
    std::string route{};  // the path, without the query
    int status = 0;
    int64_t latency_ms = 0;
    uint64_t bytes_in = 0;
    uint64_t bytes_out = 0;
};

struct AuditRotation {
    uint64_t max_bytes = 0;  // a line that would take the file past this starts a new one; 0: never
    bool daily = false;      // a record of a later UTC day than the file's last starts a new one
};

class AuditLog {
  public:
    // Opens `path` for appending (creating it, mode 0600), continuing the chain of the series
    // there (the active file, or the newest rotated one when the active file is empty).
    static Result<std::unique_ptr<AuditLog>> open(const std::string& path,
                                                  AuditRotation rotation = {});
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    // Thread-safe and process-safe; each line is flushed before append returns.
    void append(const AuditRecord& record);
    // Called with each record after its line is written, in the log's order, under its lock
    // (alert rules watch the stream this way). Set before the first append.
    void on_append(std::function<void(const AuditRecord&)> observer) {
        observer_ = std::move(observer);
    }

  private:
    AuditLog(std::string path, AuditRotation rotation)
        : path_(std::move(path)), rotation_(rotation) {}
    Result<void> open_active_file();
    void continue_chain();
    void catch_up_with_other_processes();
    void rotate_if_due(int64_t day, size_t line_bytes);

    const std::string path_;
    const AuditRotation rotation_;
    std::mutex mutex_;
    std::ofstream file_;
    int lock_fd_ = -1;         // PATH.lock, flocked around each append
    uint64_t file_inode_ = 0;  // of the active file as this process last wrote it
    uint64_t file_bytes_ = 0;
    int64_t file_day_ = -1;  // UTC day (Unix days) of the file's last record; -1: empty file
    std::string last_hash_;  // hex SHA-256 of the last line written
    std::function<void(const AuditRecord&)> observer_;
};

// Checks the chain of every line of the series, oldest file first; returns how many lines hold,
// or an error naming the file and line of the first that does not.
Result<size_t> verify_audit_log(const std::string& path);

}  // namespace assistd::security
