// The shared metrics board as the master and its workers use it: slots claimed per generation,
// texts posted by other processes, read by a worker of the same generation only.
#include "server/worker_metrics_board.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace assistd::server {
namespace {

// Runs `post` in a forked child, as a worker would, and waits for it.
template <typename Post>
void in_another_process(Post post) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        post();
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
}

TEST(WorkerMetricsBoard, AWorkerSeesThePostsOfItsGenerationFromOtherProcesses) {
    auto board = WorkerMetricsBoard::create(4);
    ASSERT_TRUE(board) << board.error().message;
    WorkerMetricsBoard& shared = **board;
    const size_t reader = *shared.claim(1);
    const size_t sibling = *shared.claim(1);
    const size_t next_generation = *shared.claim(2);

    in_another_process([&] { shared.post(sibling, "a_total 2\n"); });
    in_another_process([&] { shared.post(next_generation, "a_total 40\n"); });
    in_another_process([&] { shared.count_restart(); });

    EXPECT_EQ(shared.texts_beside(reader), std::vector<std::string>{"a_total 2\n"});
    EXPECT_EQ(shared.workers_beside(reader), 2u);
    EXPECT_EQ(shared.workers_beside(next_generation), 1u);
    EXPECT_EQ(shared.restarts(), 1u);

    shared.release(sibling);  // it died: its counts go with it
    EXPECT_TRUE(shared.texts_beside(reader).empty());
    EXPECT_EQ(shared.workers_beside(reader), 1u);
}

TEST(WorkerMetricsBoard, RefusesATextLargerThanASlotAndClaimsNoMoreSlotsThanItHas) {
    auto board = WorkerMetricsBoard::create(1);
    ASSERT_TRUE(board);
    const size_t slot = *(*board)->claim(1);
    EXPECT_FALSE((*board)->post(slot, std::string(WorkerMetricsBoard::kSlotBytes, 'x')));
    EXPECT_TRUE((*board)->post(slot, "fits 1\n"));
    EXPECT_FALSE((*board)->claim(1));
}

}  // namespace
}  // namespace assistd::server
