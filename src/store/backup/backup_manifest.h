// MANIFEST.json, the last entry of every backup archive: what the backup holds, each file with its
// size and SHA-256, so `backup verify` and `backup restore` can prove every byte came back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace assistd::store {

inline constexpr const char* kManifestName = "MANIFEST.json";
inline constexpr int kBackupFormat = 1;

struct BackupEntry {
    std::string path{};  // inside the archive, e.g. "data/assistd.db"
    uint64_t size = 0;
    std::string sha256{};  // lowercase hex
};

struct BackupManifest {
    int format = kBackupFormat;
    int64_t created_at = 0;  // Unix seconds
    std::string host{};
    bool with_models = false;
    std::vector<BackupEntry> entries{};
};

std::string manifest_json(const BackupManifest& manifest);
// Refuses anything but a manifest of a format this build reads, with well-formed entries.
Result<BackupManifest> parse_manifest(const std::string& text);

}  // namespace assistd::store
