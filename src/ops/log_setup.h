// Where the server's log goes and how it looks: always stderr, and when `logging.file` is set
// also a file rotated at `logging.max_bytes` keeping `logging.max_files` old ones
// (assistd.log → assistd.1.log → …). `logging.format: json` writes one JSON object a line
// ({"time", "level", "msg"}) for log shippers; text is spdlog's usual line.
//
// Lines about one request start with its request id (see server/request_id.h), the same id its
// response's X-Request-Id header and its audit line carry.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace assistd::ops {

struct LogSettings {
    std::string level = "info";
    std::string file{};  // empty: stderr only
    uint64_t max_bytes = 10ull << 20;
    uint32_t max_files = 5;
    bool json = false;
    bool with_pid = false;  // several processes write: each line says which (text: [pid N])
};

// Replaces the default logger; an error names the file that cannot be opened.
Result<void> set_up_logging(const LogSettings& settings);

}  // namespace assistd::ops
