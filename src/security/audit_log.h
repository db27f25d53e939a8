// AuditLog: one JSON line per API call — who (credential id, never a secret), from where, what,
// with what result — hash-chained: each line carries the SHA-256 of the line before it, so an
// edited or deleted line breaks the chain at the next one (`assistd audit verify`).
//
//   {"time_ms":1767225600123,"request_id":"req_…","credential":"ak_…","source":"127.0.0.1",
//    "method":"POST","route":"/v1/chat/completions","status":200,"latency_ms":812,
//    "bytes_in":120,"bytes_out":950,"prev":"<64 hex>"}
#pragma once

#include <cstdint>
#include <fstream>
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

class AuditLog {
  public:
    // Opens `path` for appending (creating it, mode 0600), continuing the chain of what is there.
    static Result<std::unique_ptr<AuditLog>> open(const std::string& path);
    // Thread-safe; each line is flushed before append returns.
    void append(const AuditRecord& record);

  private:
    AuditLog(std::ofstream file, std::string last_hash)
        : file_(std::move(file)), last_hash_(std::move(last_hash)) {}
    std::mutex mutex_;
    std::ofstream file_;
    std::string last_hash_;  // hex SHA-256 of the last line written
};

// Checks the chain of every line; returns how many lines hold, or an error naming the first
// line that does not.
Result<size_t> verify_audit_log(const std::string& path);

}  // namespace assistd::security
