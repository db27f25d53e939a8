// The model check: what `serve` does first (open and validate the GGUF), then a read of every
// byte, timed, because a model on network or spinning storage makes every start and reload slow.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "engine/gguf/gguf_file.h"
#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {
namespace {

// Below this size the timing is mostly open and parse, not storage: no verdict on speed.
constexpr int64_t kSmallestTimedBytes = 64 << 20;

// Drops the file's cached pages so the timed read measures the storage, not memory. Clean pages
// only: nothing is lost, the next reader reads them again.
void drop_cached_pages(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

// Touches one byte per page; the sum keeps the compiler from skipping the reads.
uint64_t read_every_page(std::span<const uint8_t> bytes) {
    uint64_t sum = 0;
    for (size_t i = 0; i < bytes.size(); i += 4096) sum += bytes[i];
    return sum;
}

std::string describe(const std::string& path, uint32_t version, int64_t bytes, double seconds) {
    char text[256];
    std::snprintf(text, sizeof text, "%s, GGUF v%u, %.1f MB read in %.0f ms (%.0f MB/s)",
                  std::filesystem::path(path).filename().c_str(), version, bytes / 1e6,
                  seconds * 1e3, bytes / 1e6 / seconds);
    return text;
}

}  // namespace

CheckResult check_model(const std::string& path, std::optional<int64_t>& model_bytes) {
    if (path.empty()) return CheckResult::ok("model", "model.path empty: the built-in tiny model");
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return CheckResult::fail("model", path + ": " + ec.message(),
                                 "set model.path to a readable .gguf file");
    }
    model_bytes = static_cast<int64_t>(size);
    drop_cached_pages(path);
    const auto start = std::chrono::steady_clock::now();
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file) {
        return CheckResult::fail("model", "not a valid GGUF: " + file.error().message,
                                 "download the model again or point model.path at a GGUF file");
    }
    volatile uint64_t sink = read_every_page(file->bytes());
    (void)sink;
    const double seconds = std::max(
        1e-6, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const std::string finding = describe(path, file->version(), *model_bytes, seconds);
    if (*model_bytes >= kSmallestTimedBytes && *model_bytes / 1e6 / seconds < kSlowStorageMBps) {
        return CheckResult::warn("model", finding + ": slow storage",
                                 "copy the model to local SSD/NVMe, or set model.mmap: true so "
                                 "restarts share the page cache");
    }
    return CheckResult::ok("model", finding);
}

}  // namespace assistd::ops::doctor
