#include "engine/tensor/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <vector>

namespace assistd {
namespace {

// Runs parallel_for and returns how many times each index was visited.
std::vector<int> visits(ThreadPool& pool, int64_t n) {
    std::vector<std::atomic<int>> counts(static_cast<size_t>(n));
    pool.parallel_for(n, [&counts](int64_t begin, int64_t end) {
        EXPECT_LT(begin, end);
        for (int64_t i = begin; i < end; ++i) counts[i].fetch_add(1);
    });
    return std::vector<int>(counts.begin(), counts.end());
}

TEST(ThreadPool, ReportsItsSize) {
    EXPECT_EQ(ThreadPool(1).size(), 1);
    EXPECT_EQ(ThreadPool(3).size(), 3);
}

TEST(ThreadPool, EmptyRangeRunsNothing) {
    ThreadPool pool(3);
    bool called = false;
    pool.parallel_for(0, [&called](int64_t, int64_t) { called = true; });
    EXPECT_FALSE(called);
}

TEST(ThreadPool, CoversEveryIndexOnceForAnySize) {
    for (int threads : {1, 2, 3, 4}) {
        ThreadPool pool(threads);
        for (int64_t n : {1, 2, 3, 5, 100003}) {
            const std::vector<int> counts = visits(pool, n);
            EXPECT_EQ(counts, std::vector<int>(static_cast<size_t>(n), 1))
                << threads << " threads, n = " << n;
        }
    }
}

TEST(ThreadPool, ChunksAreContiguousAndInOrder) {
    ThreadPool pool(3);
    std::mutex mutex;
    std::vector<std::pair<int64_t, int64_t>> chunks;
    pool.parallel_for(10, [&](int64_t begin, int64_t end) {
        std::lock_guard lock(mutex);
        chunks.emplace_back(begin, end);
    });
    std::sort(chunks.begin(), chunks.end());
    const std::vector<std::pair<int64_t, int64_t>> expected = {{0, 3}, {3, 6}, {6, 10}};
    EXPECT_EQ(chunks, expected);
}

// Many short calls back to back: a lost wake-up or a worker running a stale call shows here.
TEST(ThreadPool, SurvivesManyShortCalls) {
    ThreadPool pool(3);
    std::atomic<int64_t> total{0};
    for (int call = 0; call < 20000; ++call) {
        pool.parallel_for(7, [&total](int64_t begin, int64_t end) { total += end - begin; });
    }
    EXPECT_EQ(total.load(), 20000 * 7);
}

// The dynamic split hands out pieces of exactly `grain` indices (the last one shorter), each
// index exactly once, whatever the thread count.
TEST(ThreadPool, DynamicSplitCoversEveryIndexOnceInGrainSizedPieces) {
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        for (int64_t n : {1, 5, 16, 17, 100, 1001}) {
            constexpr int64_t kGrain = 16;
            std::vector<std::atomic<int>> counts(static_cast<size_t>(n));
            pool.parallel_for_dynamic(n, kGrain, [&](int64_t begin, int64_t end) {
                EXPECT_EQ(begin % kGrain, 0);
                EXPECT_TRUE(end - begin == kGrain || end == n) << begin << ".." << end;
                for (int64_t i = begin; i < end; ++i) counts[i].fetch_add(1);
            });
            EXPECT_EQ(std::vector<int>(counts.begin(), counts.end()),
                      std::vector<int>(static_cast<size_t>(n), 1))
                << n << " indices, " << threads << " threads";
        }
    }
}

// The guided split covers each index once in pieces of whole grains that shrink in the order they
// are handed out (which is the order of their starts), the first a thread's share of the loop.
TEST(ThreadPool, GuidedSplitHandsOutShrinkingPiecesOfWholeGrains) {
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        for (int64_t n : {1, 5, 16, 17, 100, 1001, 4096}) {
            constexpr int64_t kGrain = 4;
            std::vector<std::atomic<int>> counts(static_cast<size_t>(n));
            std::mutex mutex;
            std::map<int64_t, int64_t> pieces;  // begin -> end
            pool.parallel_for_guided(n, kGrain, [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i) counts[i].fetch_add(1);
                const std::lock_guard lock(mutex);
                pieces[begin] = end;
            });
            EXPECT_EQ(std::vector<int>(counts.begin(), counts.end()),
                      std::vector<int>(static_cast<size_t>(n), 1))
                << n << " indices, " << threads << " threads";
            if (threads == 1 || n <= kGrain) {
                EXPECT_EQ(pieces, (std::map<int64_t, int64_t>{{0, n}}));
                continue;
            }
            EXPECT_EQ(pieces.begin()->second, std::max<int64_t>(1, n / threads / kGrain) * kGrain);
            int64_t previous = n;
            for (const auto& [begin, end] : pieces) {
                EXPECT_EQ(begin % kGrain, 0);
                EXPECT_TRUE((end - begin) % kGrain == 0 || end == n) << begin << ".." << end;
                EXPECT_LE(end - begin, previous) << begin << ".." << end;
                previous = end - begin;
            }
        }
    }
}

}  // namespace
}  // namespace assistd
