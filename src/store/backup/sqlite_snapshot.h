// A consistent copy of a live SQLite database, taken with SQLite's online backup API: the server
// may keep reading and writing it meanwhile, and the copy is one committed state, never a mix.
#pragma once

#include <string>

#include "common/result.h"

namespace assistd::store {

// Writes the snapshot of `source` to `target` (a new file, mode 0600).
Result<void> snapshot_database(const std::string& source, const std::string& target);

}  // namespace assistd::store
