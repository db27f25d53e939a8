#include "store/backup/backup_names.h"

#include <ctime>
#include <regex>

namespace assistd::store {

namespace {

constexpr const char* kPrefix = "assistd-backup-";
constexpr const char* kExtension = ".tar.zst";

std::string utc_stamp(int64_t unix_seconds) {
    const auto seconds = static_cast<time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return stamp;
}

}  // namespace

std::string backup_file_name(int64_t unix_seconds) {
    return kPrefix + utc_stamp(unix_seconds) + kExtension;
}

std::optional<BackupStamp> backup_stamp_of(const std::string& file_name) {
    static const std::regex pattern(
        R"(assistd-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d{1,6}))?\.tar\.zst)");
    std::smatch parts;
    if (!std::regex_match(file_name, parts, pattern)) return std::nullopt;
    std::tm utc{};
    utc.tm_year = std::stoi(parts[1]) - 1900;
    utc.tm_mon = std::stoi(parts[2]) - 1;
    utc.tm_mday = std::stoi(parts[3]);
    utc.tm_hour = std::stoi(parts[4]);
    utc.tm_min = std::stoi(parts[5]);
    utc.tm_sec = std::stoi(parts[6]);
    return BackupStamp{static_cast<int64_t>(timegm(&utc)),
                       parts[7].matched ? std::stoi(parts[7]) : 1};
}

std::filesystem::path unused_backup_path(const std::string& dir, int64_t unix_seconds) {
    const std::string stamp = kPrefix + utc_stamp(unix_seconds);
    std::filesystem::path path = std::filesystem::path(dir) / (stamp + kExtension);
    for (int n = 2; std::filesystem::exists(path); ++n) {
        path = std::filesystem::path(dir) / (stamp + "-" + std::to_string(n) + kExtension);
    }
    return path;
}

}  // namespace assistd::store
