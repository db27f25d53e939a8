#include "security/audit_log.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

// The last line of `path`, "" when it has none. Read from the end: the file may be large and
// every process appending to it reads this after another one wrote.
std::string last_line_of(const std::string& path) {
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file) return "";
    const std::streamoff size = file.tellg();
    std::string tail;
    for (std::streamoff window = 4096;; window *= 4) {
        const std::streamoff start = std::max<std::streamoff>(0, size - window);
        tail.assign(static_cast<size_t>(size - start), '\0');
        file.seekg(start);
        file.read(tail.data(), static_cast<std::streamsize>(tail.size()));
        while (!tail.empty() && tail.back() == '\n') tail.pop_back();
        const size_t newline = tail.rfind('\n');
        if (newline != std::string::npos) return tail.substr(newline + 1);
        if (start == 0) return tail;
    }
}

// flock(2) for the scope of one append.
class ProcessLock {
  public:
    explicit ProcessLock(int fd) : fd_(fd) {
        while (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~ProcessLock() {
        if (fd_ >= 0) ::flock(fd_, LOCK_UN);
    }
    ProcessLock(const ProcessLock&) = delete;
    ProcessLock& operator=(const ProcessLock&) = delete;

  private:
    int fd_;
};

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
    const std::string lock_path = path + ".lock";
    log->lock_fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (log->lock_fd_ < 0) {
        return Error{lock_path + ": cannot open the audit log's lock: " + std::strerror(errno)};
    }
    ProcessLock lock(log->lock_fd_);
    if (Result<void> opened = log->open_active_file(); !opened) return opened.error();
    log->continue_chain();
    return log;
}

AuditLog::~AuditLog() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

// The chain goes on from the newest line of the series, wherever it is.
void AuditLog::continue_chain() {
    last_hash_ = kFirstPrev;
    const std::vector<std::string> files = audit_log_files(path_);
    for (auto file = files.rbegin(); file != files.rend(); ++file) {
        const std::string last = last_line_of(*file);
        if (last.empty()) continue;
        last_hash_ = line_hash(last);
        if (*file == path_) file_day_ = day_of_line(last);
        break;
    }
}

void AuditLog::catch_up_with_other_processes() {
    struct stat now {};
    const bool rotated = ::stat(path_.c_str(), &now) != 0 || now.st_ino != file_inode_;
    if (!rotated && static_cast<uint64_t>(now.st_size) == file_bytes_) return;
    if (rotated) {
        if (Result<void> opened = open_active_file(); !opened) {
            spdlog::error("audit log: {}", opened.error().message);
        }
    } else {
        file_bytes_ = static_cast<uint64_t>(now.st_size);
    }
    continue_chain();
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
    file_inode_ = static_cast<uint64_t>(info.st_ino);
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
    ProcessLock across_processes(lock_fd_);
    catch_up_with_other_processes();
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
