#include "security/audit_log.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "security/audit_log_files.h"

#include "support/temp_dir.h"

namespace assistd::security {
namespace {

using testing::TempDir;

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream file(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) lines.push_back(line);
    return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::ofstream file(path, std::ios::trunc);
    for (const auto& line : lines) file << line << '\n';
}

void append_three(const std::string& path) {
    auto log = AuditLog::open(path);
    ASSERT_TRUE(log) << log.error().message;
    for (int status : {200, 401, 403}) {
        (*log)->append(
            {.time_ms = 1, .credential = "ak_1", .route = "/v1/models", .status = status});
    }
}

// The whole series at `path` verifies, with `lines` lines in all.
void expect_intact(const std::string& path, size_t lines) {
    auto verified = verify_audit_log(path);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_EQ(*verified, lines);
}

// Why the series at `path` does not verify; "" (and a failure) when it does.
std::string chain_error(const std::string& path) {
    auto verified = verify_audit_log(path);
    EXPECT_FALSE(verified) << path << " verified";
    return verified ? "" : verified.error().message;
}

// `line` with its status 200 written as `status`.
std::string with_status(std::string line, int status) {
    return line.replace(line.find(R"("status":200)"), 12, R"("status":)" + std::to_string(status));
}

TEST(AuditLog, TheChainHoldsAcrossReopening) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    append_three(path);
    append_three(path);
    expect_intact(path, 6u);
}

TEST(AuditLog, AnEditedOrDeletedLineBreaksTheChainAtTheNext) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    append_three(path);
    const std::vector<std::string> lines = lines_of(path);
    ASSERT_EQ(lines.size(), 3u);

    write_lines(path, {with_status(lines[0], 204), lines[1], lines[2]});
    EXPECT_NE(chain_error(path).find(":2:"), std::string::npos);

    write_lines(path, {lines[0], lines[2]});
    EXPECT_FALSE(verify_audit_log(path));
    write_lines(path, {lines[1], lines[2]});
    EXPECT_FALSE(verify_audit_log(path));
}

constexpr int64_t kDay = 86'400'000;

TEST(AuditLog, RotatesBySizeAndTheChainRunsAcrossFiles) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    {
        auto log = AuditLog::open(path, {.max_bytes = 600});
        ASSERT_TRUE(log) << log.error().message;
        for (int i = 0; i < 20; ++i) (*log)->append({.time_ms = 1, .bytes_in = uint64_t(i)});
    }
    const std::vector<std::string> files = audit_log_files(path);
    ASSERT_GE(files.size(), 5u);
    EXPECT_EQ(files[0], path + ".000001");
    EXPECT_EQ(files.back(), path);
    size_t lines = 0;
    for (const std::string& file : files) {
        EXPECT_LE(std::filesystem::file_size(file), 600u) << file;
        lines += lines_of(file).size();
    }
    EXPECT_EQ(lines, 20u);
    // Reopened with an empty active file (a crash right after a rotation), the chain goes on
    // from the newest rotated file.
    std::filesystem::rename(path, path + ".999");
    {
        auto log = AuditLog::open(path, {.max_bytes = 600});
        ASSERT_TRUE(log) << log.error().message;
        (*log)->append({.time_ms = 1});
    }
    expect_intact(path, 21u);
}

TEST(AuditLog, RotatesAtTheFirstRecordOfANewDay) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    {
        auto log = AuditLog::open(path, {.daily = true});
        ASSERT_TRUE(log) << log.error().message;
        (*log)->append({.time_ms = 10 * kDay + 1});
        (*log)->append({.time_ms = 10 * kDay + 2});
    }
    auto log = AuditLog::open(path, {.daily = true});  // the file's day survives reopening
    ASSERT_TRUE(log) << log.error().message;
    (*log)->append({.time_ms = 10 * kDay + 3});
    (*log)->append({.time_ms = 11 * kDay});
    (*log)->append({.time_ms = 11 * kDay - 5});  // a long request of yesterday ends: same file
    (*log)->append({.time_ms = 12 * kDay});
    EXPECT_EQ(audit_log_files(path).size(), 3u);
    EXPECT_EQ(lines_of(path + ".000001").size(), 3u);
    EXPECT_EQ(lines_of(path + ".000002").size(), 2u);
    EXPECT_EQ(lines_of(path).size(), 1u);
    expect_intact(path, 6u);
}

TEST(AuditLog, ConcurrentAppendsUnderRotationLoseAndRepeatNoLine) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    constexpr int kThreads = 8;
    constexpr int kEach = 250;
    {
        auto log = AuditLog::open(path, {.max_bytes = 4096, .daily = true});
        ASSERT_TRUE(log) << log.error().message;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&log, t] {
                for (int i = 0; i < kEach; ++i) {
                    // Days advance too, so both rotation triggers race with the appends.
                    (*log)->append(
                        {.time_ms = (i / 50) * kDay, .bytes_in = uint64_t(t * kEach + i)});
                }
            });
        }
        for (auto& thread : threads) thread.join();
    }
    std::set<uint64_t> seen;
    size_t lines = 0;
    const std::vector<std::string> files = audit_log_files(path);
    EXPECT_GT(files.size(), 10u);
    for (const std::string& file : files) {
        for (const std::string& line : lines_of(file)) {
            ++lines;
            seen.insert(nlohmann::json::parse(line)["bytes_in"].get<uint64_t>());
        }
    }
    EXPECT_EQ(lines, size_t{kThreads * kEach});
    EXPECT_EQ(seen.size(), size_t{kThreads * kEach});
    expect_intact(path, size_t{kThreads * kEach});
}

TEST(AuditLog, ProcessesAppendingAtOnceUnderRotationKeepOneChain) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    constexpr int kProcesses = 4;
    constexpr int kEach = 200;
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {  // as a worker of `assistd serve` does: its own AuditLog on the same path
            auto log = AuditLog::open(path, {.max_bytes = 4096});
            if (!log) ::_exit(1);
            for (int i = 0; i < kEach; ++i) {
                (*log)->append({.time_ms = 1, .bytes_in = uint64_t(p * kEach + i)});
            }
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t child : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::set<uint64_t> seen;
    for (const std::string& file : audit_log_files(path)) {
        for (const std::string& line : lines_of(file)) {
            seen.insert(nlohmann::json::parse(line)["bytes_in"].get<uint64_t>());
        }
    }
    EXPECT_EQ(seen.size(), size_t{kProcesses * kEach});
    expect_intact(path, size_t{kProcesses * kEach});
}

TEST(AuditLog, TamperingInAnyFileIsReportedWithItsFileAndLine) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    {
        auto log = AuditLog::open(path, {.max_bytes = 700});
        ASSERT_TRUE(log) << log.error().message;
        for (int i = 0; i < 12; ++i) (*log)->append({.time_ms = 1, .status = 200});
    }
    const std::string first = path + ".000001";
    const std::vector<std::string> original = lines_of(first);
    ASSERT_GE(original.size(), 3u);

    std::vector<std::string> edited = original;
    edited[1] = with_status(edited[1], 500);
    write_lines(first, edited);
    EXPECT_NE(chain_error(path).find(first + ":3: the chain is broken"), std::string::npos);

    // The last line of a file cut: the break shows on the first line of the next file.
    edited = original;
    edited.pop_back();
    write_lines(first, edited);
    EXPECT_NE(chain_error(path).find(path + ".000002:1: the chain is broken"), std::string::npos);

    // A whole rotated file removed: the next file's first line no longer chains.
    write_lines(first, original);
    ASSERT_TRUE(verify_audit_log(path));
    std::filesystem::remove(path + ".000002");
    EXPECT_NE(chain_error(path).find(path + ".000003:1:"), std::string::npos);
}

}  // namespace
}  // namespace assistd::security
