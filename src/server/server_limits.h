// Limits the transport holds every connection to, so no client can pin memory or a socket.
#pragma once

#include <chrono>
#include <cstdint>

namespace assistd::server {

struct ServerLimits {
    uint64_t max_body_bytes = 1 << 20;  // larger request bodies get 413
    uint32_t max_header_bytes = 16 << 10;
    // A whole request (headers and body) must arrive within this, or the connection is closed:
    // a slowloris client trickling bytes holds a socket no longer than this.
    std::chrono::milliseconds read_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};   // between requests on a kept-alive socket
    std::chrono::milliseconds write_timeout{30'000};  // a client that stops reading is dropped
};

}  // namespace assistd::server
