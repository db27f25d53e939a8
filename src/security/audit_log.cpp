#include "security/audit_log.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "security/audit_log_files.h"
#include "security/secret_text.h"

namespace assistd::security {
namespace {

const std::string kFirstPrev(64, '0');  // what the first line of a log chains to
constexpr int64_t kMillisecondsPerDay = 86'400'000;

std::string line_hash(const std::string& line) {
    std::string digest(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                       reinterpret_cast<const unsigned char*>(line.data()), line.size());
    return to_hex(digest);
}

int64_t day_of(int64_t time_ms) {
    return time_ms / kMillisecondsPerDay;
}

// The last line of `path`, "" when it has none.
std::string last_line_of(const std::string& path) {
    std::ifstream file(path);
    std::string last;
    for (std::string line; std::getline(file, line);) last = std::move(line);
    return last;
}

int64_t day_of_line(const std::string& line) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("time_ms") || !json["time_ms"].is_number_integer())
        return -1;
    return day_of(json["time_ms"].get<int64_t>());
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::string& path, AuditRotation rotation) {
    if (sodium_init() < 0) return Error{"libsodium failed to initialise"};
    std::unique_ptr<AuditLog> log(new AuditLog(path, rotation));
    if (Result<void> opened = log->open_active_file(); !opened) return opened.error();
    // The chain goes on from the newest line of the series, wherever it is.
    log->last_hash_ = kFirstPrev;
    const std::vector<std::string> files = audit_log_files(path);
    for (auto file = files.rbegin(); file != files.rend(); ++file) {
        const std::string last = last_line_of(*file);
        if (last.empty()) continue;
        log->last_hash_ = line_hash(last);
        if (*file == path) log->file_day_ = day_of_line(last);
        break;
    }
    return log;
}

Result<void> AuditLog::open_active_file() {
    const int fd = ::open(path_.c_str(), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Error{path_ + ": cannot open the audit log: " + std::strerror(errno)};
    struct stat info {};
    ::fstat(fd, &info);
    ::close(fd);
    file_.close();
    file_.clear();
    file_.open(path_, std::ios::app);
    if (!file_) return Error{path_ + ": cannot open the audit log"};
    file_bytes_ = static_cast<uint64_t>(info.st_size);
    file_day_ = -1;
    return {};
}

void AuditLog::rotate_if_due(int64_t day, size_t line_bytes) {
    if (file_bytes_ == 0) return;  // never rotate out an empty file
    const bool too_big = rotation_.max_bytes > 0 && file_bytes_ + line_bytes > rotation_.max_bytes;
    const bool new_day = rotation_.daily && file_day_ >= 0 && day > file_day_;
    if (!too_big && !new_day) return;
    file_.close();
    const std::string rotated = next_rotated_audit_file(path_);
    if (std::rename(path_.c_str(), rotated.c_str()) != 0) {
        spdlog::error("audit log: cannot rotate {} to {}: {}; appending to it still", path_,
                      rotated, std::strerror(errno));
    }
    if (Result<void> opened = open_active_file(); !opened) {
        spdlog::error("audit log: {}", opened.error().message);
    }
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
    const int64_t day = day_of(record.time_ms);
    rotate_if_due(day, line.size() + 1);
    file_ << line << '\n' << std::flush;
    file_bytes_ += line.size() + 1;
    file_day_ = std::max(file_day_, day);
    last_hash_ = line_hash(line);
    if (observer_) observer_(record);
}

Result<size_t> verify_audit_log(const std::string& path) {
    const std::vector<std::string> files = audit_log_files(path);
    if (files.size() == 1 && ::access(path.c_str(), R_OK) != 0) {
        return Error{path + ": cannot read the audit log"};
    }
    std::string expected_prev = kFirstPrev;
    size_t count = 0;
    for (const std::string& name : files) {
        std::ifstream file(name);
        if (!file && name != path) return Error{name + ": cannot read the audit log"};
        size_t number = 0;
        for (std::string line; std::getline(file, line);) {
            ++number;
            ++count;
            const auto json = nlohmann::json::parse(line, nullptr, false);
            const std::string where = name + ":" + std::to_string(number);
            if (!json.is_object() || !json.contains("prev") || !json["prev"].is_string()) {
                return Error{where + ": not an audit line"};
            }
            if (json["prev"].get<std::string>() != expected_prev) {
                return Error{where +
                             ": the chain is broken: the line before it was changed or removed"};
            }
            expected_prev = line_hash(line);
        }
    }
    return count;
}

}  // namespace assistd::security
