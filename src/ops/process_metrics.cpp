#include "ops/process_metrics.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace assistd::ops {
namespace {

// Field `index` (1-based, as proc(5) numbers them) of /proc/self/stat; the command name in
// parentheses may hold spaces, so fields are counted after its closing parenthesis.
double stat_field(int index) {
    std::ifstream file("/proc/self/stat");
    const std::string stat((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) return 0.0;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= index && fields >> field; ++i) {
        if (i == index) return std::stod(field);
    }
    return 0.0;
}

double cpu_seconds() {
    return (stat_field(14) + stat_field(15)) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    double size = 0.0, resident = 0.0;
    statm >> size >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double open_fds() {
    std::error_code ec;
    double count = 0.0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        ++count;
    }
    return count;
}

}  // namespace

void add_process_metrics(MetricsRegistry& metrics) {
    const double started =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    metrics.counter_fn("process_cpu_seconds_total", "User and system CPU time spent in seconds.",
                       cpu_seconds);
    metrics.gauge_fn("process_resident_memory_bytes", "Resident memory size in bytes.",
                     resident_bytes);
    metrics.gauge_fn("process_open_fds", "Number of open file descriptors.", open_fds);
    metrics.gauge_fn("process_start_time_seconds",
                     "Start time of the process since unix epoch in seconds.",
                     [started] { return started; });
}

}  // namespace assistd::ops
