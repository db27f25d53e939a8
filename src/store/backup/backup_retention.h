// The backups in a directory, by the time their names carry, and retention: `backup prune --keep N`
// deletes all but the newest N. Files not named like backups are never touched.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/backup/backup_names.h"

namespace assistd::store {

struct BackupFile {
    std::string path{};
    BackupStamp stamp;  // from the name
    uint64_t bytes = 0;
};

// Oldest first; an empty list when the directory does not exist.
Result<std::vector<BackupFile>> list_backups(const std::string& dir);

// Deletes the oldest backups beyond the newest `keep`; returns what it deleted.
Result<std::vector<BackupFile>> prune_backups(const std::string& dir, size_t keep);

}  // namespace assistd::store
