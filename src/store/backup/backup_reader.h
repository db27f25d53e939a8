// Reading a backup archive back: `backup verify` checks it, `backup restore` unpacks it.
//
// Nothing in an archive is trusted. Every entry must be a regular file with a safe relative name
// (no absolute paths, no "..", no links, no devices), appear once, and match MANIFEST.json in size
// and SHA-256; the manifest must list exactly the entries there are. Restore writes only inside its
// target directory, which must be empty or missing, and leaves it as it found it when anything is
// refused — so a crafted or damaged archive never leaves half a data directory behind.
#pragma once

#include <string>

#include "common/result.h"
#include "store/backup/backup_manifest.h"

namespace assistd::store {

Result<BackupManifest> verify_backup(const std::string& archive_path);

// Unpacks "data/..." into `target` itself and every other entry (the configuration, logs kept
// outside the data directory) below `target`/restored/.
Result<BackupManifest> restore_backup(const std::string& archive_path, const std::string& target);

// Where restore puts an archive entry, relative to the target directory.
std::string restored_path(const std::string& archive_path);

}  // namespace assistd::store
