// The assistd binary as a user runs it: stdout carries only the answer, errors go to stderr with
// a non-zero exit code.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/shared_data.h"

namespace {

struct Ran {
    int exit_code;
    std::string out;
    std::string err;
};

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `assistd <args>` with `input` on stdin, capturing stdout and stderr separately.
Ran assistd(const std::string& args, const std::string& input = "") {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("assistd-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "in", std::ios::binary) << input;
    const std::string command = std::string(ASSISTD_BINARY) + " " + args + " <" +
                                (dir / "in").string() + " >" + (dir / "out").string() + " 2>" +
                                (dir / "err").string();
    const int status = std::system(command.c_str());
    Ran ran{WEXITSTATUS(status), slurp(dir / "out"), slurp(dir / "err")};
    std::filesystem::remove_all(dir);
    return ran;
}

std::string model(const char* name) {
    return assistd::testing::shared_path(std::string("models/llm/") + name).string();
}

TEST(Cli, RunPrintsOnlyTheGreedyContinuation) {
    Ran r = assistd("run -m " + model("stories260K.gguf") +
                    " -p 'Once upon a time' -n 32 --temp 0 -t 2");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              ", there was a little girl named Lily. She loved to play outside in the park. "
              "One day, she saw");
    EXPECT_NE(r.err.find("generated 32 tokens"), std::string::npos) << r.err;
}

TEST(Cli, RunWithSeedIsReproducible) {
    const std::string args =
        "run -m " + model("TinyStories-656K-Q8_0.gguf") + " -p Hello -n 24 --temp 0.9 --seed 7";
    Ran a = assistd(args), b = assistd(args);
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    EXPECT_FALSE(a.out.empty());
}

TEST(Cli, TokenizeAndDetokenizeRoundTrip) {
    Ran ids =
        assistd("tokenize -m " + model("stories260K.gguf") + " --add-bos", "Once upon a time");
    EXPECT_EQ(ids.exit_code, 0) << ids.err;
    EXPECT_EQ(ids.out, "1 403 407 261 378\n");
    Ran text = assistd("detokenize -m " + model("stories260K.gguf"), "403 407 261 378");
    EXPECT_EQ(text.exit_code, 0) << text.err;
    // Like llama.cpp, detokenizing drops the space SentencePiece put before the first word.
    EXPECT_EQ(text.out, "Once upon a time");
}

TEST(Cli, TokenizeWorksOnVocabOnlyFiles) {
    const std::string vocab =
        assistd::testing::shared_path("models/vocab/ggml-vocab-qwen2.gguf").string();
    Ran r = assistd("tokenize -m " + vocab, "你好，世界");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Ran back = assistd("detokenize -m " + vocab, r.out);
    EXPECT_EQ(back.out, "你好，世界");
}

TEST(Cli, InfoDescribesTheModel) {
    Ran r = assistd("info -m " + model("TinyStories-656K-Q8_0.gguf"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("architecture: llama"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("q8_0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("layers: 2"), std::string::npos) << r.out;
}

TEST(Cli, ErrorsGoToStderrWithExitCodeOne) {
    Ran missing = assistd("run -m /nonexistent.gguf -p hi");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(missing.out.empty());
    EXPECT_NE(missing.err.find("/nonexistent.gguf"), std::string::npos) << missing.err;

    Ran bad_id = assistd("detokenize -m " + model("stories260K.gguf"), "1 99999");
    EXPECT_EQ(bad_id.exit_code, 1);
    EXPECT_NE(bad_id.err.find("99999"), std::string::npos) << bad_id.err;

    Ran not_a_number = assistd("detokenize -m " + model("stories260K.gguf"), "1 x2");
    EXPECT_EQ(not_a_number.exit_code, 1);
    EXPECT_NE(not_a_number.err.find("'x2' is not a token id"), std::string::npos);

    Ran bad_temp = assistd("run -m " + model("stories260K.gguf") + " -p hi --temp -1");
    EXPECT_EQ(bad_temp.exit_code, 1);
    EXPECT_TRUE(bad_temp.out.empty());
}

}  // namespace
