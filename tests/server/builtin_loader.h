// A ModelLoader for server tests: every source loads the built-in tiny model (in memory, fast),
// named and versioned as the source says.
#pragma once

#include "server/loaded_model.h"

namespace assistd::server {

Result<PreparedModel> load_builtin(const ModelSource& source);

}  // namespace assistd::server
