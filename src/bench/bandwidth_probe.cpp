#include "bench/bandwidth_probe.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace assistd::bench {
namespace {

// 16 bytes per load: one SSE2 or NEON register on every target we build for, so the loop needs
// no runtime dispatch and still issues loads far faster than DRAM can answer them.
using Lanes = uint64_t __attribute__((vector_size(16)));

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kMinProbeBytes = size_t{256} << 20;
constexpr size_t kMaxProbeBytes = size_t{1} << 30;
constexpr size_t kFallbackLlcBytes = size_t{32} << 20;

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};

// Four independent accumulators, a 64-byte cache line per iteration, so the loop waits on
// memory, not on its own XORs.
uint64_t read_lanes(const Lanes* begin, const Lanes* end) {
    Lanes a{}, b{}, c{}, d{};
    const Lanes* p = begin;
    for (; p + 4 <= end; p += 4) {
        a ^= p[0];
        b ^= p[1];
        c ^= p[2];
        d ^= p[3];
    }
    for (; p < end; ++p) a ^= *p;
    const Lanes all = a ^ b ^ c ^ d;
    return all[0] ^ all[1];
}

}  // namespace

size_t default_probe_bytes() {
    const long llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
    const size_t llc_bytes = llc > 0 ? static_cast<size_t>(llc) : kFallbackLlcBytes;
    const long available_pages = sysconf(_SC_AVPHYS_PAGES);
    const size_t available =
        available_pages > 0 ? static_cast<size_t>(available_pages) * sysconf(_SC_PAGESIZE) : 0;
    const size_t largest = std::min(kMaxProbeBytes, available / 8);
    const size_t bytes = std::max(kMinProbeBytes, std::min(16 * llc_bytes, largest));
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

Result<Bandwidth> measure_read_bandwidth(ThreadPool& pool, size_t buffer_bytes, int passes) {
    buffer_bytes = std::max(kHugePage, buffer_bytes / kHugePage * kHugePage);
    std::unique_ptr<void, FreeDeleter> buffer(std::aligned_alloc(kHugePage, buffer_bytes));
    if (!buffer) {
        return Error{"bench: cannot allocate " + std::to_string(buffer_bytes >> 20) +
                     " MiB for the bandwidth probe"};
    }
    // Huge pages where the kernel allows them, as the model loader asks for its weights: without
    // them the probe would also measure TLB misses that decode does not pay.
    madvise(buffer.get(), buffer_bytes, MADV_HUGEPAGE);
    const auto* lanes = static_cast<const Lanes*>(buffer.get());
    const auto n_lanes = static_cast<int64_t>(buffer_bytes / sizeof(Lanes));
    // First touch from the threads that will read, so pages land on their memory node.
    pool.parallel_for(n_lanes, [&](int64_t begin, int64_t end) {
        std::memset(static_cast<char*>(buffer.get()) + begin * sizeof(Lanes), 1,
                    static_cast<size_t>(end - begin) * sizeof(Lanes));
    });

    std::atomic<uint64_t> sink{0};  // keeps the reads from being optimized away
    double best_seconds = 0.0;
    for (int pass = 0; pass < std::max(1, passes); ++pass) {
        const auto start = std::chrono::steady_clock::now();
        pool.parallel_for(n_lanes, [&](int64_t begin, int64_t end) {
            sink.fetch_xor(read_lanes(lanes + begin, lanes + end), std::memory_order_relaxed);
        });
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (pass == 0 || seconds < best_seconds) best_seconds = seconds;
    }
    return Bandwidth{static_cast<double>(buffer_bytes) / best_seconds, buffer_bytes, pool.size()};
}

}  // namespace assistd::bench
