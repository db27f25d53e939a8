// What the host has to offer: memory available now (Linux: MemAvailable in /proc/meminfo), for
// sizing caches that must not push the machine into swap or the OOM killer.
#pragma once

#include <cstdint>
#include <optional>

namespace assistd::ops {

// Bytes the kernel estimates can be allocated without swapping; nothing when it cannot be read.
std::optional<int64_t> available_memory_bytes();

}  // namespace assistd::ops
