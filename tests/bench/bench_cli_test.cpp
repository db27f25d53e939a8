// `assistd bench` as a user runs it: JSON on stdout with one object per test, the shapes asked
// for and a sample per repetition. Timings are checked for shape, never for speed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "support/shared_data.h"

namespace {

// Runs `assistd <args>` and returns its stdout; stderr (progress) passes through to the test log.
std::string stdout_of(const std::string& args, int& exit_code) {
    const std::string command = std::string(ASSISTD_BINARY) + " " + args;
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    exit_code = WEXITSTATUS(pclose(pipe));
    return out;
}

std::string stories_model() {
    return assistd::testing::shared_path("models/llm/stories260K.gguf").string();
}

// Runs `assistd bench` on stories260K with `options`.
std::string bench_stories(const std::string& options, int& exit_code) {
    return stdout_of("bench -m " + stories_model() + " " + options, exit_code);
}

TEST(BenchCli, JsonHasOnePromptAndOneGenerationRow) {
    const std::string model = assistd::testing::shared_path("models/llm/stories260K.gguf").string();
    int exit_code = -1;
    const std::string out = bench_stories("-p 16 -n 8 -r 2 --json", exit_code);
    ASSERT_EQ(exit_code, 0);
    const nlohmann::json rows = nlohmann::json::parse(out);
    ASSERT_TRUE(rows.is_array());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["n_prompt"], 16);
    EXPECT_EQ(rows[0]["n_gen"], 0);
    EXPECT_EQ(rows[1]["n_prompt"], 0);
    EXPECT_EQ(rows[1]["n_gen"], 8);
    for (const nlohmann::json& row : rows) {
        EXPECT_EQ(row["model_filename"], stories_model());
        EXPECT_GE(row["n_threads"], 1);
        EXPECT_EQ(row["samples_ns"].size(), 2u);
        EXPECT_EQ(row["samples_ts"].size(), 2u);
        EXPECT_TRUE(row["avg_ts"].is_number());
        EXPECT_TRUE(row["stddev_ts"].is_number());
        EXPECT_TRUE(row["bandwidth_gbs"].is_number());
    }
    EXPECT_TRUE(rows[0]["bound_ts"].is_null());
    EXPECT_TRUE(rows[1]["bound_ts"].is_number());
    EXPECT_TRUE(rows[1]["bound_fraction"].is_number());
}

TEST(BenchCli, CommaListsMakeOneRowPerCombination) {
    const std::string model = assistd::testing::shared_path("models/llm/stories260K.gguf").string();
    int exit_code = -1;
    const std::string out = bench_stories("-p 8,16 -n 4 -t 1,2 -r 1 --json", exit_code);
    ASSERT_EQ(exit_code, 0);
    const nlohmann::json rows = nlohmann::json::parse(out);
    ASSERT_EQ(rows.size(), 6u);  // (pp8, pp16, tg4) x (1, 2 threads)
    EXPECT_EQ(rows[0]["n_threads"], 1);
    EXPECT_EQ(rows[1]["n_prompt"], 16);
    EXPECT_EQ(rows[2]["n_gen"], 4);
    EXPECT_EQ(rows[3]["n_threads"], 2);
}

TEST(BenchCli, MarkdownTableIsTheDefault) {
    const std::string model = assistd::testing::shared_path("models/llm/stories260K.gguf").string();
    int exit_code = -1;
    const std::string out = bench_stories("-p 8 -n 4 -r 1 -t 1", exit_code);
    ASSERT_EQ(exit_code, 0);
    EXPECT_EQ(out.rfind("| model ", 0), 0u) << out;
    EXPECT_NE(out.find(" pp8 |"), std::string::npos) << out;
    EXPECT_NE(out.find(" tg4 |"), std::string::npos) << out;
}

TEST(BenchCli, MissingModelIsAnError) {
    int exit_code = -1;
    const std::string out = stdout_of("bench -m /nonexistent.gguf -r 1 2>/dev/null", exit_code);
    EXPECT_NE(exit_code, 0);
    EXPECT_TRUE(out.empty());
}

}  // namespace
