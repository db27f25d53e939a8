#include "server/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "ops/systemd_notify.h"
#include "server/heartbeat_watchdog.h"
#include "server/listening_socket.h"
#include "server/restart_backoff.h"
#include "server/worker_metrics_board.h"

namespace assistd::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Signals reach the loop through this pipe (the handler only writes the signal's number).
int signal_pipe[2] = {-1, -1};

void forward_signal(int signal) {
    const int saved = errno;
    const char byte = static_cast<char>(signal);
    (void)::write(signal_pipe[1], &byte, 1);
    errno = saved;
}

constexpr int kHandledSignals[] = {SIGCHLD, SIGHUP, SIGTERM, SIGINT};
// Both generations at once during a reload, each up to the largest service.workers.
constexpr size_t kMetricSlots = 512;
// A worker's first beat comes after it created its scheduler (the KV cache): give it time.
constexpr milliseconds kStartGrace{60'000};

milliseconds heartbeat_interval(milliseconds watchdog) {
    return std::clamp(watchdog / 4, milliseconds(10), milliseconds(1'000));
}

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        return "was killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    }
    return "ended (status " + std::to_string(status) + ")";
}

struct Worker {
    pid_t pid;
    uint64_t generation;
    size_t position;  // which of its generation's service.workers it is
    size_t slot;      // on the metrics board
    int from_worker;  // the pipe's read end; -1 once it closed
    Clock::time_point started;
    HeartbeatWatchdog watchdog;
    bool ready = false;
    bool told_to_stop = false;
    bool killed = false;  // by the watchdog
};

struct Generation {
    uint64_t number;
    WorkerPlan plan;
    std::vector<RestartBackoff> backoff;                    // per position
    std::vector<std::optional<Clock::time_point>> restart;  // per position: when to replace it
    bool was_ready = false;                                 // every worker ready at least once
};

class Supervisor {
  public:
    Supervisor(LoadWorkerPlan load, int listener, std::unique_ptr<WorkerMetricsBoard> board)
        : load_(std::move(load)), listener_(listener), board_(std::move(board)) {}

    int run(WorkerPlan first);

  private:
    Generation make_generation(WorkerPlan plan);
    bool start_worker(Generation& generation, size_t position);
    [[noreturn]] void become_worker(const Generation& generation, size_t slot, int to_master,
                                    const sigset_t& signal_mask);
    void on_signal(int signal);
    void reap();
    void worker_ended(const Worker& worker, int status);
    void read_messages(Worker& worker);
    void check_generation_ready(Generation& generation);
    void switch_to_next();
    void abandon_next(const std::string& why);
    void reload();
    void shut_down(const char* why);
    void enforce_watchdogs(Clock::time_point now);
    void start_due_restarts(Clock::time_point now);
    milliseconds time_to_next_event(Clock::time_point now) const;
    void forget_finished_generations();
    Generation* generation_of(uint64_t number);
    size_t ready_count(uint64_t generation) const;

    LoadWorkerPlan load_;
    int listener_;
    std::unique_ptr<WorkerMetricsBoard> board_;
    const ops::SystemdNotify systemd_{};
    std::optional<milliseconds> systemd_watchdog_ = systemd_.watchdog_interval();
    Clock::time_point next_systemd_ping_ = Clock::now();
    uint64_t generations_started_ = 0;
    std::unique_ptr<Generation> current_;
    std::unique_ptr<Generation> next_;                   // being started by a reload
    std::vector<std::unique_ptr<Generation>> retiring_;  // draining; their plans hold the model
    std::vector<Worker> workers_;
    bool stopping_ = false;
    int exit_status_ = 0;
};

Generation Supervisor::make_generation(WorkerPlan plan) {
    const auto positions = static_cast<size_t>(plan.workers);
    return Generation{.number = ++generations_started_,
                      .plan = std::move(plan),
                      .backoff = std::vector<RestartBackoff>(positions),
                      .restart = std::vector<std::optional<Clock::time_point>>(positions)};
}

Generation* Supervisor::generation_of(uint64_t number) {
    if (current_ && current_->number == number) return current_.get();
    if (next_ && next_->number == number) return next_.get();
    for (auto& retiring : retiring_) {
        if (retiring->number == number) return retiring.get();
    }
    return nullptr;
}

size_t Supervisor::ready_count(uint64_t generation) const {
    return static_cast<size_t>(std::count_if(
        workers_.begin(), workers_.end(),
        [&](const Worker& w) { return w.generation == generation && w.ready && !w.told_to_stop; }));
}

bool Supervisor::start_worker(Generation& generation, size_t position) {
    generation.restart[position].reset();
    Result<size_t> slot = board_->claim(generation.number);
    if (!slot) {
        spdlog::error("cannot start a worker: {}", slot.error().message);
        return false;
    }
    int pipe_ends[2];
    if (::pipe2(pipe_ends, O_CLOEXEC | O_NONBLOCK) != 0) {
        spdlog::error("cannot start a worker: pipe: {}", std::strerror(errno));
        board_->release(*slot);
        return false;
    }
    spdlog::default_logger()->flush();  // or the child would write the master's buffer again
    // Held back across fork() until the child has its own handlers: a signal meant for the
    // child must not reach the master's pipe.
    sigset_t handled, previous;
    sigemptyset(&handled);
    for (int signal : kHandledSignals) sigaddset(&handled, signal);
    ::sigprocmask(SIG_BLOCK, &handled, &previous);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipe_ends[0]);
        become_worker(generation, *slot, pipe_ends[1], previous);
    }
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) {
        spdlog::error("cannot start a worker: fork: {}", std::strerror(errno));
        ::close(pipe_ends[0]);
        ::close(pipe_ends[1]);
        board_->release(*slot);
        return false;
    }
    ::close(pipe_ends[1]);
    const Clock::time_point now = Clock::now();
    workers_.push_back(
        {.pid = pid,
         .generation = generation.number,
         .position = position,
         .slot = *slot,
         .from_worker = pipe_ends[0],
         .started = now,
         .watchdog = HeartbeatWatchdog(generation.plan.watchdog,
                                       kStartGrace + generation.plan.watchdog, now)});
    spdlog::info("started worker {} (generation {}, {} of {})", pid, generation.number,
                 position + 1, generation.plan.workers);
    return true;
}

void Supervisor::become_worker(const Generation& generation, size_t slot, int to_master,
                               const sigset_t& signal_mask) {
    // The master's signal handling, pipes and systemd connection are not the worker's.
    for (int signal : kHandledSignals) std::signal(signal, SIG_DFL);
    std::signal(SIGHUP, SIG_IGN);  // a reload is the master's business
    ::sigprocmask(SIG_SETMASK, &signal_mask, nullptr);
    ::close(signal_pipe[0]);
    ::close(signal_pipe[1]);
    for (const Worker& other : workers_) {
        if (other.from_worker >= 0) ::close(other.from_worker);
    }
    ::unsetenv("NOTIFY_SOCKET");
    // The master flushes every line and runs no flush thread; a worker logs as set_up_logging
    // set it up.
    spdlog::flush_every(std::chrono::seconds(1));
    spdlog::default_logger()->flush_on(spdlog::level::warn);
    WorkerLink link(listener_, to_master, *board_, slot,
                    heartbeat_interval(generation.plan.watchdog));
    const int status = generation.plan.serve(link);
    spdlog::default_logger()->flush();
    // Not exit(): the master's objects on this stack and its atexit handlers are not ours.
    ::_exit(status);
}

void Supervisor::on_signal(int signal) {
    switch (signal) {
        case SIGCHLD:
            reap();
            break;
        case SIGHUP:
            reload();
            break;
        case SIGTERM:
            shut_down("SIGTERM");
            break;
        case SIGINT:
            shut_down("SIGINT");
            break;
        default:
            break;
    }
}

void Supervisor::reap() {
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
        auto found = std::find_if(workers_.begin(), workers_.end(),
                                  [pid](const Worker& worker) { return worker.pid == pid; });
        if (found == workers_.end()) continue;
        const Worker worker = *found;
        workers_.erase(found);
        if (worker.from_worker >= 0) ::close(worker.from_worker);
        board_->release(worker.slot);
        worker_ended(worker, status);
    }
    forget_finished_generations();
}

void Supervisor::worker_ended(const Worker& worker, int status) {
    const std::string how = describe_exit(status);
    if (stopping_ || worker.told_to_stop) {
        spdlog::info("worker {} (generation {}) {}", worker.pid, worker.generation, how);
        return;
    }
    if (next_ && worker.generation == next_->number) {
        abandon_next("a new worker " + how + " before it was ready");
        return;
    }
    if (!current_ || worker.generation != current_->number) return;
    if (!current_->was_ready) {
        spdlog::error(
            "worker {} {} before it was ready: the configuration or model cannot be "
            "served; stopping",
            worker.pid, how);
        exit_status_ = 1;
        shut_down("a failed start");
        return;
    }
    const auto uptime = std::chrono::duration_cast<milliseconds>(Clock::now() - worker.started);
    const milliseconds delay = current_->backoff[worker.position].after_death(uptime);
    board_->count_restart();
    spdlog::error("worker {} {} after {:.1f} s; replacing it in {} ms", worker.pid, how,
                  std::chrono::duration<double>(uptime).count(), delay.count());
    current_->restart[worker.position] = Clock::now() + delay;
}

void Supervisor::read_messages(Worker& worker) {
    char bytes[64];
    const ssize_t got = ::read(worker.from_worker, bytes, sizeof bytes);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        ::close(worker.from_worker);  // it is exiting; SIGCHLD tells how
        worker.from_worker = -1;
        return;
    }
    const Clock::time_point now = Clock::now();
    for (ssize_t i = 0; i < got; ++i) {
        worker.watchdog.beat(now);
        if (bytes[i] == static_cast<char>(WorkerMessage::Ready) && !worker.ready) {
            worker.ready = true;
            spdlog::info("worker {} is ready", worker.pid);
            if (Generation* generation = generation_of(worker.generation)) {
                check_generation_ready(*generation);
            }
        }
    }
}

void Supervisor::check_generation_ready(Generation& generation) {
    if (ready_count(generation.number) < static_cast<size_t>(generation.plan.workers)) return;
    if (next_ && &generation == next_.get()) {
        switch_to_next();
        return;
    }
    if (&generation != current_.get() || generation.was_ready) return;
    generation.was_ready = true;
    spdlog::info("{} workers ready", generation.plan.workers);
    systemd_.ready();
}

void Supervisor::switch_to_next() {
    next_->was_ready = true;
    for (Worker& worker : workers_) {
        if (worker.generation != current_->number) continue;
        worker.told_to_stop = true;
        ::kill(worker.pid, SIGTERM);
    }
    retiring_.push_back(std::move(current_));
    current_ = std::move(next_);
    std::string pids;
    for (const Worker& worker : workers_) {
        if (worker.generation == current_->number) pids += " " + std::to_string(worker.pid);
    }
    spdlog::info("reload done: generation {} serves (workers{}); the old workers drain",
                 current_->number, pids);
    forget_finished_generations();
    systemd_.ready();
}

void Supervisor::abandon_next(const std::string& why) {
    spdlog::error("reload failed: {}; the current workers keep serving", why);
    for (Worker& worker : workers_) {
        if (worker.generation != next_->number) continue;
        worker.told_to_stop = true;
        ::kill(worker.pid, SIGTERM);
    }
    retiring_.push_back(std::move(next_));
    forget_finished_generations();
    systemd_.ready();
}

void Supervisor::reload() {
    if (stopping_) return;
    if (next_) {
        spdlog::warn("SIGHUP: a reload is already under way; ignoring this one");
        return;
    }
    spdlog::info("SIGHUP: reloading the configuration, certificates and model");
    systemd_.reloading();
    Result<WorkerPlan> plan = load_();
    if (!plan) {
        spdlog::error("reload failed: {}; the current workers keep serving", plan.error().message);
        systemd_.ready();
        return;
    }
    if (plan->host != current_->plan.host || plan->port != current_->plan.port) {
        spdlog::warn(
            "service.host/port changed to {}:{}: a new address takes a restart; still "
            "listening on {}:{}",
            plan->host, plan->port, current_->plan.host, current_->plan.port);
    }
    next_ = std::make_unique<Generation>(make_generation(std::move(*plan)));
    for (size_t position = 0; position < next_->restart.size(); ++position) {
        if (!start_worker(*next_, position)) {
            abandon_next("cannot start the new workers");
            return;
        }
    }
}

void Supervisor::shut_down(const char* why) {
    if (stopping_) return;
    stopping_ = true;
    systemd_.stopping();
    spdlog::info("{}: draining {} workers", why, workers_.size());
    for (Worker& worker : workers_) {
        worker.told_to_stop = true;
        ::kill(worker.pid, SIGTERM);
    }
}

void Supervisor::enforce_watchdogs(Clock::time_point now) {
    for (Worker& worker : workers_) {
        if (worker.killed || !worker.watchdog.silent_too_long(now)) continue;
        spdlog::error("worker {} stopped answering its heartbeat: killing it (SIGKILL)",
                      worker.pid);
        worker.killed = true;
        ::kill(worker.pid, SIGKILL);
    }
}

void Supervisor::start_due_restarts(Clock::time_point now) {
    if (stopping_ || !current_) return;
    for (size_t position = 0; position < current_->restart.size(); ++position) {
        const auto& due = current_->restart[position];
        if (due && *due <= now && !start_worker(*current_, position)) {
            current_->restart[position] = now + milliseconds(1'000);
        }
    }
}

milliseconds Supervisor::time_to_next_event(Clock::time_point now) const {
    Clock::time_point next = now + milliseconds(1'000);
    for (const Worker& worker : workers_) {
        if (!worker.killed) next = std::min(next, worker.watchdog.deadline());
    }
    if (current_) {
        for (const auto& due : current_->restart) {
            if (due) next = std::min(next, *due);
        }
    }
    if (systemd_watchdog_) next = std::min(next, next_systemd_ping_);
    return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(next - now));
}

void Supervisor::forget_finished_generations() {
    std::erase_if(retiring_, [this](const std::unique_ptr<Generation>& generation) {
        return std::none_of(workers_.begin(), workers_.end(), [&](const Worker& worker) {
            return worker.generation == generation->number;
        });
    });
}

int Supervisor::run(WorkerPlan first) {
    current_ = std::make_unique<Generation>(make_generation(std::move(first)));
    // Threads do not survive fork(); the master keeps none (its log lines are flushed each).
    spdlog::flush_every(std::chrono::seconds(0));
    spdlog::default_logger()->flush_on(spdlog::level::trace);
    for (size_t position = 0; position < current_->restart.size(); ++position) {
        if (!start_worker(*current_, position)) shut_down("a failed start");
    }
    while (!stopping_ || !workers_.empty()) {
        std::vector<pollfd> watched{{.fd = signal_pipe[0], .events = POLLIN, .revents = 0}};
        for (const Worker& worker : workers_) {
            watched.push_back({.fd = worker.from_worker, .events = POLLIN, .revents = 0});
        }
        const Clock::time_point now = Clock::now();
        const int timeout = static_cast<int>(time_to_next_event(now).count());
        if (::poll(watched.data(), watched.size(), timeout) < 0 && errno != EINTR) {
            spdlog::critical("master: poll: {}", std::strerror(errno));
            return 1;
        }
        // Workers first: reaping below changes workers_, which `watched` mirrors.
        for (size_t i = 1; i < watched.size(); ++i) {
            if (watched[i].revents != 0 && workers_[i - 1].from_worker >= 0) {
                read_messages(workers_[i - 1]);
            }
        }
        if (watched[0].revents & POLLIN) {
            char signals[16];
            const ssize_t got = ::read(signal_pipe[0], signals, sizeof signals);
            for (ssize_t i = 0; i < got; ++i) on_signal(signals[i]);
            // A reload may have taken seconds: read the beats that came meanwhile before
            // judging anyone silent.
            continue;
        }
        const Clock::time_point after = Clock::now();
        enforce_watchdogs(after);
        start_due_restarts(after);
        if (systemd_watchdog_ && after >= next_systemd_ping_) {
            systemd_.watchdog();
            next_systemd_ping_ = after + *systemd_watchdog_;
        }
    }
    spdlog::info("master: every worker has stopped");
    return exit_status_;
}

}  // namespace

int supervise(const LoadWorkerPlan& load) {
    Result<WorkerPlan> first = load();
    if (!first) {
        spdlog::error("{}", first.error().message);
        return 1;
    }
    Result<int> listener = open_listening_socket(first->host, first->port);
    if (!listener) {
        spdlog::error("{}", listener.error().message);
        return 1;
    }
    const auto bound = listening_endpoint(*listener);
    Result<std::unique_ptr<WorkerMetricsBoard>> board = WorkerMetricsBoard::create(kMetricSlots);
    if (!board) {
        spdlog::error("{}", board.error().message);
        return 1;
    }
    if (::pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        spdlog::error("master: pipe: {}", std::strerror(errno));
        return 1;
    }
    struct sigaction action {};
    action.sa_handler = forward_signal;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    for (int signal : kHandledSignals) ::sigaction(signal, &action, nullptr);
    spdlog::info("master {}: {} workers on {}:{}", ::getpid(), first->workers,
                 bound.address().to_string(), bound.port());
    Supervisor supervisor(load, *listener, std::move(*board));
    return supervisor.run(std::move(*first));
}

}  // namespace assistd::server
