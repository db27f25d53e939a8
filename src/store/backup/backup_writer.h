// `assistd backup create`: one compressed archive (tar + zstd) of a node's state — the SQLite
// databases as consistent snapshots, the master key, audit and alert logs, model manifests (and
// with_models, the model files), the configuration — ending in MANIFEST.json with every file's
// SHA-256. Written under a temporary name and renamed, so a backup directory never holds half of
// one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace assistd::store {

// A file from outside the data directory, and the name it takes in the archive.
struct ExtraFile {
    std::string archive_path{};  // e.g. "config/assistd.yaml"; never under "data/"
    std::string source{};
};

struct BackupPlan {
    std::string data_dir{};                // stored under "data/"
    std::vector<ExtraFile> extra_files{};  // the config file, an audit log kept elsewhere, ...
    std::vector<std::string>
        excluded{};            // directories inside data_dir left out (backups kept there)
    bool with_models = false;  // also the model files (*.gguf), not only their manifests
    std::string backup_dir{};  // where the archive goes, created if missing
    int64_t now = 0;           // Unix seconds: the archive's name and created_at
    std::string host{};
};

struct CreatedBackup {
    std::string path{};
    size_t files = 0;
    uint64_t bytes = 0;                  // uncompressed
    std::vector<std::string> skipped{};  // what was not a regular file (links, sockets), left out
};

Result<CreatedBackup> create_backup(const BackupPlan& plan);

}  // namespace assistd::store
