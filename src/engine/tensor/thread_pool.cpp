#include "engine/tensor/thread_pool.h"

#include <algorithm>
#include <cassert>
#include <chrono>

namespace assistd {
namespace {

// How a waiting thread passes the time before it sleeps on a futex: a few pause rounds catch the
// common case of a partner finishing within a microsecond or two; yielding for a while longer
// bridges the gap between two parallel_for calls of one token without holding a core that
// another runnable thread (ours, when there are more threads than cores) is waiting for.
constexpr int kPauseRounds = 256;
constexpr auto kYieldBudget = std::chrono::microseconds(200);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Returns once `value` differs from `old`.
template <typename T>
void wait_while_equal(const std::atomic<T>& value, T old) {
    const auto changed = [&] { return value.load(std::memory_order_acquire) != old; };
    for (int i = 0; i < kPauseRounds; ++i) {
        if (changed()) return;
        cpu_relax();
    }
    const auto deadline = std::chrono::steady_clock::now() + kYieldBudget;
    while (std::chrono::steady_clock::now() < deadline) {
        if (changed()) return;
        std::this_thread::yield();
    }
    while (!changed()) value.wait(old, std::memory_order_acquire);
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(n_threads) {
    assert(n_threads >= 1);
    workers_.reserve(static_cast<size_t>(n_threads - 1));
    for (int i = 1; i < n_threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
    stopping_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn) {
    if (n <= 0) return;
    if (n_threads_ == 1 || n == 1) {
        fn(0, n);
        return;
    }
    task_ = &fn;
    task_size_ = n;
    pending_.store(n_threads_ - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    run_chunk(0);
    for (int left = pending_.load(std::memory_order_acquire); left != 0;
         left = pending_.load(std::memory_order_acquire)) {
        wait_while_equal(pending_, left);
    }
    task_ = nullptr;
}

namespace {

// Pieces of [0, n) handed to whichever thread asks first: `grain` indices each, or, with
// `shrink_over` threads, a shrink_over-th of what is left in whole grains.
struct PieceLoop {
    int64_t n;
    int64_t grain;
    int shrink_over;  // 0: fixed pieces
    const std::function<void(int64_t, int64_t)>& fn;
    std::atomic<int64_t> next{0};

    int64_t piece_end(int64_t begin) const {
        const int64_t grains =
            shrink_over == 0 ? 1 : std::max<int64_t>(1, (n - begin) / shrink_over / grain);
        return std::min(n, begin + grains * grain);
    }

    void run() {
        int64_t begin = next.load(std::memory_order_relaxed);
        while (begin < n) {
            const int64_t end = piece_end(begin);
            // A failed exchange reloads begin: another thread took the piece meanwhile.
            if (next.compare_exchange_weak(begin, end, std::memory_order_relaxed)) {
                fn(begin, end);
                begin = end;
            }
        }
    }
};

}  // namespace

void ThreadPool::parallel_for_pieces(int64_t n, int64_t grain, bool shrink,
                                     const std::function<void(int64_t, int64_t)>& fn) {
    assert(grain >= 1);
    if (n <= 0) return;
    if (n_threads_ == 1 || n <= grain) {
        fn(0, n);
        return;
    }
    PieceLoop loop{n, grain, shrink ? n_threads_ : 0, fn};
    // One captured pointer keeps the lambda inside std::function's small buffer: no allocation.
    parallel_for(n_threads_, [l = &loop](int64_t, int64_t) { l->run(); });
}

void ThreadPool::work(int index) {
    uint32_t seen = 0;
    for (;;) {
        wait_while_equal(generation_, seen);
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_.load(std::memory_order_relaxed)) return;
        run_chunk(index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
}

void ThreadPool::run_chunk(int index) {
    const int64_t begin = task_size_ * index / n_threads_;
    const int64_t end = task_size_ * (index + 1) / n_threads_;
    if (begin < end) (*task_)(begin, end);
}

}  // namespace assistd
