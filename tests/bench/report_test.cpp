// The JSON carries llama-bench's field names and shapes (so llama-bench's tooling reads it) plus
// ours; the markdown table has llama-bench's columns and our bound columns.
#include "bench/report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace assistd::bench {
namespace {

ModelProfile profile() {
    return ModelProfile{"models/q05.gguf", "qwen2 494M Q4_0", 350'000'000, 494'000'000,
                        330'000'000};
}

std::vector<TestResult> rows() {
    TestResult pp;
    pp.shape = {512, 0, 2};
    pp.test_time = "2026-11-28T15:00:00Z";
    pp.samples_ns = {2'000'000'000, 2'000'000'000};
    pp.bandwidth_bytes_per_s = 11e9;
    pp.weight_bytes_per_token = 330'000'000;
    TestResult tg = pp;
    tg.shape = {0, 128, 2};
    tg.samples_ns = {4'000'000'000, 4'000'000'000};
    return {pp, tg};
}

std::string json_text() {
    return format_json({"abc1234", 42, "cpu"}, profile(), rows());
}

TEST(ReportJson, IsAnArrayOfOneObjectPerRow) {
    const nlohmann::json j = nlohmann::json::parse(json_text());
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j.size(), 2u);
}

TEST(ReportJson, HasLlamaBenchFieldsInLlamaBenchOrder) {
    const nlohmann::json j = nlohmann::json::parse(json_text());
    // nlohmann::json sorts the keys it parses; read their order from the text instead.
    const std::string text = json_text();
    const std::vector<std::string> llama_bench_order = {
        "build_commit",   "build_number", "cpu_info",   "gpu_info",       "backends",
        "model_filename", "model_type",   "model_size", "model_n_params", "n_batch",
        "n_ubatch",       "n_threads",    "type_k",     "type_v",         "n_gpu_layers",
        "use_mmap",       "embeddings",   "n_prompt",   "n_gen",          "n_depth",
        "test_time",      "avg_ns",       "stddev_ns",  "avg_ts",         "stddev_ts",
        "samples_ns",     "samples_ts"};
    size_t previous = 0;
    for (const std::string& key : llama_bench_order) {
        EXPECT_TRUE(j[0].contains(key)) << key;
        const size_t at = text.find("\"" + key + "\"");
        ASSERT_NE(at, std::string::npos) << key;
        EXPECT_GT(at, previous) << key << " is out of llama-bench's order";
        previous = at;
    }
}

TEST(ReportJson, FieldTypesMatchLlamaBench) {
    const nlohmann::json j = nlohmann::json::parse(json_text());
    const nlohmann::json& tg = j[1];
    EXPECT_EQ(tg["build_commit"], "abc1234");
    EXPECT_EQ(tg["model_filename"], "models/q05.gguf");
    EXPECT_EQ(tg["model_type"], "qwen2 494M Q4_0");
    EXPECT_EQ(tg["model_size"], 350'000'000);
    EXPECT_EQ(tg["model_n_params"], 494'000'000);
    EXPECT_EQ(tg["n_threads"], 2);
    EXPECT_EQ(tg["n_prompt"], 0);
    EXPECT_EQ(tg["n_gen"], 128);
    EXPECT_EQ(tg["test_time"], "2026-11-28T15:00:00Z");
    EXPECT_TRUE(tg["avg_ns"].is_number_unsigned());
    EXPECT_TRUE(tg["stddev_ns"].is_number_unsigned());
    EXPECT_EQ(tg["avg_ns"], 4'000'000'000u);
    EXPECT_DOUBLE_EQ(tg["avg_ts"].get<double>(), 32.0);
    EXPECT_DOUBLE_EQ(tg["stddev_ts"].get<double>(), 0.0);
    EXPECT_EQ(tg["samples_ns"], nlohmann::json::parse("[4000000000, 4000000000]"));
    ASSERT_TRUE(tg["samples_ts"].is_array());
    EXPECT_EQ(tg["samples_ts"].size(), 2u);
}

TEST(ReportJson, AddsTheDecodeBound) {
    const nlohmann::json j = nlohmann::json::parse(json_text());
    const nlohmann::json& tg = j[1];
    EXPECT_DOUBLE_EQ(tg["bandwidth_gbs"].get<double>(), 11.0);
    EXPECT_EQ(tg["weight_bytes_per_token"], 330'000'000);
    EXPECT_DOUBLE_EQ(tg["bound_ts"].get<double>(), 11e9 / 330e6);
    EXPECT_DOUBLE_EQ(tg["bound_fraction"].get<double>(), 32.0 / (11e9 / 330e6));
    EXPECT_TRUE(j[0]["bound_ts"].is_null());
    EXPECT_TRUE(j[0]["bound_fraction"].is_null());
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(ReportMarkdown, HasLlamaBenchColumnsThenTheBound) {
    const std::vector<std::string> lines = lines_of(format_markdown_table(profile(), rows()));
    ASSERT_EQ(lines.size(), 4u);  // header, rule, pp row, tg row
    std::string squeezed;
    for (char c : lines[0]) {
        if (c != ' ') squeezed += c;
    }
    EXPECT_EQ(squeezed, "|model|size|params|backend|threads|test|t/s|boundt/s|ofbound|");
    EXPECT_EQ(lines[1].find_first_not_of("|-: "), std::string::npos);
}

TEST(ReportMarkdown, RowsNameTestsAndShowMeanPlusMinusStddev) {
    const std::vector<std::string> lines = lines_of(format_markdown_table(profile(), rows()));
    EXPECT_NE(lines[2].find("| qwen2 494M Q4_0 "), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find("333.79 MiB"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find("494.00 M"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find(" pp512 "), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find(" 256.00 ± 0.00 "), std::string::npos) << lines[2];
    EXPECT_NE(lines[3].find(" tg128 "), std::string::npos) << lines[3];
    EXPECT_NE(lines[3].find(" 32.00 ± 0.00 "), std::string::npos) << lines[3];
    EXPECT_NE(lines[3].find(" 33.33 "), std::string::npos) << lines[3];  // 11 GB/s / 330 MB
    EXPECT_NE(lines[3].find(" 96 % "), std::string::npos) << lines[3];
}

TEST(ReportMarkdown, ColumnsLineUp) {
    const std::vector<std::string> lines = lines_of(format_markdown_table(profile(), rows()));
    auto bars = [](const std::string& line) {
        std::vector<size_t> at;
        size_t column = 0;
        for (unsigned char c : line) {
            if (c == '|') at.push_back(column);
            column += (c & 0xC0) != 0x80;
        }
        return at;
    };
    for (const std::string& line : lines) EXPECT_EQ(bars(line), bars(lines[0])) << line;
}

}  // namespace
}  // namespace assistd::bench
