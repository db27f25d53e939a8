// The model registry over HTTP, for callers with admin:models — the same operations as
// `assistd models` (importing stays on the command line, next to the files):
//
//   GET  /v1/admin/models                   → {"object":"list","data":[{name, active_version,
//                                              policy, versions: [manifest...]}]}
//   POST /v1/admin/models/{name}/activate   {"version": "2"}  → {"name", "active_version"}
//   POST /v1/admin/models/{name}/rollback                     → {"name", "active_version"}
//
// A change reaches every server process at its next registry poll (about a second).
#pragma once

#include <filesystem>

#include "server/router.h"

namespace assistd::server {

// `data_dir`: storage.data_dir, where registry.db is.
void add_admin_model_routes(Router& router, std::filesystem::path data_dir);

}  // namespace assistd::server
