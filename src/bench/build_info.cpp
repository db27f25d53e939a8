#include "bench/build_info.h"

#include <fstream>

namespace assistd::bench {
namespace {

std::string cpu_model_name() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    const std::string key = "model name";
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.compare(0, key.size(), key) != 0) continue;
        const size_t colon = line.find(':');
        if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
    return "unknown";
}

}  // namespace

BuildInfo current_build_info() {
    return BuildInfo{ASSISTD_BUILD_COMMIT, ASSISTD_BUILD_NUMBER, cpu_model_name()};
}

}  // namespace assistd::bench
