// Which entry names a backup archive may hold. Restore writes each entry below the target
// directory, so a name must not be able to leave it: no absolute paths, no "." or ".." parts,
// no empty parts, no backslashes or control characters that other tools might read differently.
#pragma once

#include <string_view>

namespace assistd::store {

bool is_safe_archive_path(std::string_view path);

}  // namespace assistd::store
