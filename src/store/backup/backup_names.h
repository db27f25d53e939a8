// Backup archive names carry their creation time, so a listing sorts them and retention can tell
// the oldest without opening any: assistd-backup-20261129T101500Z.tar.zst (UTC), and a "-N"
// before the extension when two are made within one second.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace assistd::store {

std::string backup_file_name(int64_t unix_seconds);
struct BackupStamp {
    int64_t created_at = 0;  // Unix seconds
    int sequence = 1;        // 2, 3, ... for later backups of the same second

    auto operator<=>(const BackupStamp&) const = default;
};

// When a backup archive's file name says it was made; nullopt when the name is not one.
std::optional<BackupStamp> backup_stamp_of(const std::string& file_name);
// A path in `dir` named for `unix_seconds` that no file has yet.
std::filesystem::path unused_backup_path(const std::string& dir, int64_t unix_seconds);

}  // namespace assistd::store
