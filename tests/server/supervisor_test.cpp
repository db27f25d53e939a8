// supervise() in a child process of the test, with workers that only say they are ready: what
// systemd hears through $NOTIFY_SOCKET at start, reload and stop, and the master's exit status.
#include "server/supervisor.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "support/notify_socket.h"
#include "support/temp_dir.h"

namespace assistd::server {
namespace {

using std::chrono::milliseconds;

// A master on a loopback port whose workers run `serve`.
pid_t start_master(std::function<int(WorkerLink&)> serve) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int status = supervise([serve] {
            return Result<WorkerPlan>(WorkerPlan{.host = "127.0.0.1",
                                                 .port = 0,
                                                 .workers = 2,
                                                 .watchdog = milliseconds(60'000),
                                                 .serve = serve});
        });
        ::_exit(status);
    }
    return pid;
}

int exit_status_of(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Supervisor, TellsSystemdReadyThenReloadingAndReadyThenStopping) {
    testing::TempDir dir;
    testing::NotifySocket systemd(dir.file("notify"));
    const pid_t master = start_master([](WorkerLink& link) {
        link.ready();
        for (;;) ::pause();  // until SIGTERM, which ends it
        return 0;
    });
    ASSERT_GT(master, 0);
    EXPECT_EQ(systemd.next_message(), "READY=1\nSTATUS=serving");

    ::kill(master, SIGHUP);
    EXPECT_TRUE(systemd.next_message().starts_with("RELOADING=1\nMONOTONIC_USEC="));
    EXPECT_EQ(systemd.next_message(), "READY=1\nSTATUS=serving");  // the new workers are ready

    ::kill(master, SIGTERM);
    EXPECT_EQ(systemd.next_message(), "STOPPING=1\nSTATUS=draining");
    EXPECT_EQ(exit_status_of(master), 0);
}

TEST(Supervisor, GivesUpWhenTheFirstWorkersFailBeforeTheyAreReady) {
    const pid_t master = start_master([](WorkerLink&) { return 1; });
    ASSERT_GT(master, 0);
    EXPECT_EQ(exit_status_of(master), 1);
}

}  // namespace
}  // namespace assistd::server
