// Where a benchmark ran: the build and the CPU, for the rows llama-bench's tooling groups by.
#pragma once

#include <string>

namespace assistd::bench {

struct BuildInfo {
    std::string commit;    // short git hash at configure time, "unknown" outside a checkout
    int build_number = 0;  // commits on the branch at configure time
    std::string cpu_info;  // the CPU's model name from /proc/cpuinfo
};

BuildInfo current_build_info();

}  // namespace assistd::bench
