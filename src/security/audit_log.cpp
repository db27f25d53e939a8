#include "security/audit_log.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "security/secret_text.h"

namespace assistd::security {
namespace {

const std::string kFirstPrev(64, '0');  // what the first line of a log chains to

std::string line_hash(const std::string& line) {
    std::string digest(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                       reinterpret_cast<const unsigned char*>(line.data()), line.size());
    return to_hex(digest);
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::string& path) {
    if (sodium_init() < 0) return Error{"libsodium failed to initialise"};
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Error{path + ": cannot open the audit log"};
    ::close(fd);
    std::string last_hash = kFirstPrev;
    std::ifstream existing(path);
    for (std::string line; std::getline(existing, line);) last_hash = line_hash(line);
    std::ofstream file(path, std::ios::app);
    if (!file) return Error{path + ": cannot open the audit log"};
    return std::unique_ptr<AuditLog>(new AuditLog(std::move(file), std::move(last_hash)));
}

void AuditLog::append(const AuditRecord& record) {
    std::lock_guard lock(mutex_);
    const std::string line = nlohmann::json{
        {"time_ms", record.time_ms},
        {"request_id", record.request_id},
        {"credential", record.credential},
        {"source", record.source},
        {"method", record.method},
        {"route", record.route},
        {"status", record.status},
        {"latency_ms", record.latency_ms},
        {"bytes_in", record.bytes_in},
        {"bytes_out", record.bytes_out},
        {"prev", last_hash_}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    file_ << line << '\n' << std::flush;
    last_hash_ = line_hash(line);
}

Result<size_t> verify_audit_log(const std::string& path) {
    std::ifstream file(path);
    if (!file) return Error{path + ": cannot read the audit log"};
    std::string expected_prev = kFirstPrev;
    size_t count = 0;
    for (std::string line; std::getline(file, line);) {
        ++count;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (!json.is_object() || !json.contains("prev") || !json["prev"].is_string()) {
            return Error{path + ":" + std::to_string(count) + ": not an audit line"};
        }
        if (json["prev"].get<std::string>() != expected_prev) {
            return Error{path + ":" + std::to_string(count) +
                         ": the chain is broken: the line before it was changed or removed"};
        }
        expected_prev = line_hash(line);
    }
    return count;
}

}  // namespace assistd::security
