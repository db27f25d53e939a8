// A fixed set of worker threads that split loops with the calling thread.
//
// The forward pass calls parallel_for about a hundred times per generated token, each call a
// few tens of microseconds of work, so a call must cost far less than creating threads: workers
// live as long as the pool, spin briefly for the next call and only then sleep on a futex.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace assistd {

class ThreadPool {
  public:
    // n_threads >= 1; the thread calling parallel_for is one of them, so n_threads - 1 start.
    explicit ThreadPool(int n_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return n_threads_; }

    // Splits [0, n) into size() contiguous chunks, in order, and runs fn(begin, end) on each
    // non-empty one, chunk 0 on the calling thread; returns when all are done. fn must not
    // throw. One caller at a time.
    void parallel_for(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn);

    // Runs fn(begin, end) over [0, n) in pieces of `grain` indices (the last one shorter), each
    // handed to whichever thread asks first: a thread the OS delays (on a host whose cores other
    // processes share) leaves its pieces to the rest instead of holding up the call. Pieces
    // arrive in no particular order. Same rules as parallel_for otherwise; grain >= 1.
    void parallel_for_dynamic(int64_t n, int64_t grain,
                              const std::function<void(int64_t begin, int64_t end)>& fn) {
        parallel_for_pieces(n, grain, false, fn);
    }

    // Runs fn(begin, end) over [0, n) in pieces that shrink as the loop drains, each handed to
    // whichever thread asks first: a piece is a size()-th of the indices not yet handed out,
    // rounded down to whole grains (at least one; the last piece shorter). Each thread works
    // through long contiguous runs, as a weight stream from memory needs to keep the hardware
    // prefetcher ahead, and a thread the OS delays still leaves the later, smaller pieces to the
    // rest. Pieces start at multiples of grain; otherwise the rules of parallel_for_dynamic.
    void parallel_for_guided(int64_t n, int64_t grain,
                             const std::function<void(int64_t begin, int64_t end)>& fn) {
        parallel_for_pieces(n, grain, true, fn);
    }

  private:
    void parallel_for_pieces(int64_t n, int64_t grain, bool shrink,
                             const std::function<void(int64_t begin, int64_t end)>& fn);
    void work(int index);
    void run_chunk(int index);

    const int n_threads_;
    std::vector<std::thread> workers_;
    // The current call, published to workers by the release increment of generation_.
    const std::function<void(int64_t, int64_t)>* task_ = nullptr;
    int64_t task_size_ = 0;
    std::atomic<uint32_t> generation_{0};
    std::atomic<int> pending_{0};  // workers still running the current call
    std::atomic<bool> stopping_{false};
};

}  // namespace assistd
