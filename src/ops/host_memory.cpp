#include "ops/host_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace assistd::ops {

std::optional<int64_t> available_memory_bytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        std::istringstream fields(line);
        std::string key;
        int64_t kib = 0;
        if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024;
    }
    return std::nullopt;
}

}  // namespace assistd::ops
