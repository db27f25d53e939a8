#include "server/worker_metrics_board.h"

#include <sys/mman.h>

#include <atomic>
#include <cassert>
#include <cstring>
#include <new>
#include <thread>

namespace assistd::server {

struct WorkerMetricsBoard::Header {
    std::atomic<uint64_t> restarts{0};
};

struct WorkerMetricsBoard::Slot {
    std::atomic<uint64_t> generation{0};  // 0: free
    std::atomic<uint32_t> sequence{0};    // odd while the owner writes
    std::atomic<uint32_t> length{0};
    char text[kSlotBytes - 16];
};

static_assert(std::atomic<uint64_t>::is_always_lock_free, "atomics must work across processes");

namespace {
constexpr size_t kHeaderBytes = 4096;  // keeps the slots page-aligned
}

Result<std::unique_ptr<WorkerMetricsBoard>> WorkerMetricsBoard::create(size_t slots) {
    const size_t bytes = kHeaderBytes + slots * sizeof(Slot);
    void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (memory == MAP_FAILED) {
        return Error{"cannot map the workers' shared metrics: " + std::string(strerror(errno))};
    }
    // Fresh anonymous pages are zero, which is what every field starts as; construct anyway so
    // the atomics' lifetimes begin.
    new (memory) Header;
    for (size_t i = 0; i < slots; ++i) {
        new (static_cast<char*>(memory) + kHeaderBytes + i * sizeof(Slot)) Slot;
    }
    return std::unique_ptr<WorkerMetricsBoard>(new WorkerMetricsBoard(memory, bytes, slots));
}

WorkerMetricsBoard::WorkerMetricsBoard(void* memory, size_t bytes, size_t slots)
    : memory_(memory), bytes_(bytes), slots_(slots) {}

WorkerMetricsBoard::~WorkerMetricsBoard() {
    ::munmap(memory_, bytes_);
}

WorkerMetricsBoard::Slot& WorkerMetricsBoard::slot(size_t index) const {
    assert(index < slots_);
    return *std::launder(
        reinterpret_cast<Slot*>(static_cast<char*>(memory_) + kHeaderBytes + index * sizeof(Slot)));
}

Result<size_t> WorkerMetricsBoard::claim(uint64_t generation) {
    assert(generation > 0);
    for (size_t i = 0; i < slots_; ++i) {
        Slot& free = slot(i);
        if (free.generation.load() != 0) continue;
        free.length.store(0);
        free.generation.store(generation);
        return i;
    }
    return Error{"no free slot for another worker's metrics"};
}

void WorkerMetricsBoard::release(size_t index) {
    slot(index).generation.store(0);
}

void WorkerMetricsBoard::count_restart() {
    std::launder(static_cast<Header*>(memory_))->restarts.fetch_add(1);
}

uint64_t WorkerMetricsBoard::restarts() const {
    return std::launder(static_cast<Header*>(memory_))->restarts.load();
}

bool WorkerMetricsBoard::post(size_t index, std::string_view text) {
    Slot& own = slot(index);
    if (text.size() > sizeof own.text) return false;
    own.sequence.fetch_add(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    std::memcpy(own.text, text.data(), text.size());
    own.length.store(static_cast<uint32_t>(text.size()), std::memory_order_relaxed);
    own.sequence.fetch_add(1, std::memory_order_release);
    return true;
}

std::string WorkerMetricsBoard::read(const Slot& from) const {
    // The writer holds a slot for microseconds; a writer stopped mid-copy (SIGSTOP) would hold
    // it forever, so give up after a while and leave that worker out.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const uint32_t before = from.sequence.load(std::memory_order_acquire);
        if (before % 2 == 1) {
            std::this_thread::yield();
            continue;
        }
        const uint32_t length =
            std::min<uint32_t>(from.length.load(std::memory_order_relaxed), sizeof from.text);
        std::string text(from.text, length);
        std::atomic_thread_fence(std::memory_order_acquire);
        if (from.sequence.load(std::memory_order_relaxed) == before) return text;
    }
    return "";
}

std::vector<std::string> WorkerMetricsBoard::texts_beside(size_t own) const {
    const uint64_t generation = slot(own).generation.load();
    std::vector<std::string> texts;
    for (size_t i = 0; i < slots_; ++i) {
        if (i == own || slot(i).generation.load() != generation) continue;
        if (std::string text = read(slot(i)); !text.empty()) texts.push_back(std::move(text));
    }
    return texts;
}

size_t WorkerMetricsBoard::workers_beside(size_t own) const {
    const uint64_t generation = slot(own).generation.load();
    size_t count = 0;
    for (size_t i = 0; i < slots_; ++i) count += slot(i).generation.load() == generation;
    return count;
}

}  // namespace assistd::server
