#include "store/backup/backup_retention.h"

#include <algorithm>
#include <filesystem>

namespace assistd::store {

namespace fs = std::filesystem;

Result<std::vector<BackupFile>> list_backups(const std::string& dir) {
    std::vector<BackupFile> backups;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return backups;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        const std::optional<BackupStamp> stamp = backup_stamp_of(entry.path().filename().string());
        if (!stamp) continue;
        backups.push_back({entry.path().string(), *stamp, entry.file_size(ec)});
    }
    if (ec) return Error{"cannot list " + dir + ": " + ec.message()};
    std::sort(backups.begin(), backups.end(),
              [](const BackupFile& a, const BackupFile& b) { return a.stamp < b.stamp; });
    return backups;
}

Result<std::vector<BackupFile>> prune_backups(const std::string& dir, size_t keep) {
    Result<std::vector<BackupFile>> backups = list_backups(dir);
    if (!backups) return backups.error();
    std::vector<BackupFile> removed;
    const size_t excess = backups->size() > keep ? backups->size() - keep : 0;
    for (size_t i = 0; i < excess; ++i) {
        std::error_code ec;
        if (!fs::remove((*backups)[i].path, ec) || ec) {
            return Error{"cannot delete " + (*backups)[i].path + ": " + ec.message()};
        }
        removed.push_back((*backups)[i]);
    }
    return removed;
}

}  // namespace assistd::store
