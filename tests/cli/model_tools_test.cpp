// `assistd synth` and `assistd quantize` as a user runs them: the files they write load and run,
// greedy output does not depend on the thread count, and a Q8_0 stories260K speaks as the F32 one.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/shared_data.h"

namespace {

struct Ran {
    int exit_code;
    std::string out;
};

// Runs `assistd <args>`, capturing stdout; stderr goes to the test log.
Ran assistd(const std::string& args) {
    const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                      ("assistd-tools-" + std::to_string(::getpid()) + ".out");
    const std::string command = std::string(ASSISTD_BINARY) + " " + args + " >" + out.string();
    const int status = std::system(command.c_str());
    std::ifstream in(out, std::ios::binary);
    Ran ran{WEXITSTATUS(status),
            std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())};
    std::filesystem::remove(out);
    return ran;
}

class ModelTools : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("assistd-tools-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    std::filesystem::path dir_;
};

TEST_F(ModelTools, SynthQwen2WithTheQwen2VocabRunsTheSameOnOneTwoAndThreeThreads) {
    const std::string vocab =
        assistd::testing::shared_path("models/vocab/ggml-vocab-qwen2.gguf").string();
    ASSERT_EQ(assistd("synth --arch qwen2 --preset tiny --type Q4_0 --vocab " + vocab + " " +
                      path("qwen2.gguf"))
                  .exit_code,
              0);
    const std::string run = "run -m " + path("qwen2.gguf") + " -p 'Hello, world' -n 16 --temp 0";
    const Ran one = assistd(run + " -t 1");
    ASSERT_EQ(one.exit_code, 0);
    EXPECT_FALSE(one.out.empty());
    EXPECT_EQ(assistd(run + " -t 2").out, one.out);
    EXPECT_EQ(assistd(run + " -t 3").out, one.out);
}

TEST_F(ModelTools, QuantizedStoriesQ8_0SpeaksAsTheF32Model) {
    const std::string f32 = assistd::testing::shared_path("models/llm/stories260K.gguf").string();
    ASSERT_EQ(assistd("quantize " + f32 + " " + path("q8.gguf") + " Q8_0").exit_code, 0);
    const std::string args = " -p 'Once upon a time' -n 32 --temp 0 -t 2";
    const Ran reference = assistd("run -m " + f32 + args);
    const Ran quantized = assistd("run -m " + path("q8.gguf") + args);
    ASSERT_EQ(quantized.exit_code, 0);
    EXPECT_EQ(quantized.out, reference.out);
}

TEST_F(ModelTools, UnknownTypeIsAnError) {
    const std::string f32 = assistd::testing::shared_path("models/llm/stories260K.gguf").string();
    EXPECT_EQ(assistd("quantize " + f32 + " " + path("x.gguf") + " Q9_9 2>/dev/null").exit_code, 1);
    EXPECT_EQ(assistd("synth --type Q9_9 " + path("x.gguf") + " 2>/dev/null").exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(path("x.gguf")));
}

}  // namespace
