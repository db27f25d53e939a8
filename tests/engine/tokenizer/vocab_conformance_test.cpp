// Every llama.cpp test vector (models/vocab/X.gguf.inp / .out) gives the same ids here.
// One test per vocabulary; a failure prints the case's text with expected and actual ids.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/tokenizer.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

struct VocabCase {
    std::string name;       // test name and the .inp/.out pair
    std::string gguf_name;  // vocabulary file (deepseek-r1-qwen shares qwen2's)
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t at = text.find(separator); at != std::string::npos;
         at = text.find(separator, start)) {
        parts.push_back(text.substr(start, at - start));
        start = at + separator.size();
    }
    parts.push_back(text.substr(start));
    return parts;
}

std::vector<int32_t> parse_ids(const std::string& line) {
    std::vector<int32_t> ids;
    std::istringstream in(line);
    for (int32_t id = 0; in >> id;) ids.push_back(id);
    return ids;
}

std::string format_ids(const std::vector<int32_t>& ids) {
    std::string out;
    for (const int32_t id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
    return "[" + out + "]";
}

void PrintTo(const VocabCase& param, std::ostream* out) {
    *out << param.name;
}

class VocabConformance : public ::testing::TestWithParam<VocabCase> {};

TEST_P(VocabConformance, MatchesLlamaCppIds) {
    const VocabCase& param = GetParam();
    const std::string base = "models/vocab/ggml-vocab-" + param.name + ".gguf";
    const auto gguf_path =
        testing::shared_path("models/vocab/ggml-vocab-" + param.gguf_name + ".gguf");
    auto tokenizer = [&] {
        auto file = gguf::GgufFile::open(gguf_path);
        EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error().message);
        if (!file.ok()) return Result<Tokenizer>(file.error());
        return Tokenizer::from_gguf(*file);  // the file closes here: the tokenizer keeps a copy
    }();
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().message;

    const auto inputs =
        split(read_file(testing::shared_path(base + ".inp")), "\n__ggml_vocab_test__\n");
    const auto outputs = split(read_file(testing::shared_path(base + ".out")), "\n");
    ASSERT_GE(outputs.size(), inputs.size());
    int failures = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const auto expected = parse_ids(outputs[i]);
        auto actual = tokenizer->encode(inputs[i], /*add_bos=*/false);
        ASSERT_TRUE(actual.ok()) << actual.error().message;
        if (*actual != expected) ++failures;
        size_t first_diff = 0;
        while (first_diff < expected.size() && first_diff < actual->size() &&
               expected[first_diff] == (*actual)[first_diff]) {
            ++first_diff;
        }
        EXPECT_TRUE(*actual == expected) << "case " << i << " text: '" << inputs[i] << "'\n"
                                         << "expected " << format_ids(expected) << "\n"
                                         << "actual   " << format_ids(*actual) << "\n"
                                         << "first difference at id index " << first_diff;
    }
    EXPECT_EQ(failures, 0) << failures << " of " << inputs.size() << " cases differ";
}

INSTANTIATE_TEST_SUITE_P(
    AllVocabs, VocabConformance,
    ::testing::Values(VocabCase{"llama-spm", "llama-spm"}, VocabCase{"phi-3", "phi-3"},
                      VocabCase{"gpt-2", "gpt-2"}, VocabCase{"llama-bpe", "llama-bpe"},
                      VocabCase{"qwen2", "qwen2"}, VocabCase{"deepseek-r1-qwen", "qwen2"},
                      VocabCase{"deepseek-llm", "deepseek-llm"},
                      VocabCase{"deepseek-coder", "deepseek-coder"}, VocabCase{"falcon", "falcon"},
                      VocabCase{"mpt", "mpt"}, VocabCase{"starcoder", "starcoder"},
                      VocabCase{"refact", "refact"}, VocabCase{"bert-bge", "bert-bge"}),
    [](const ::testing::TestParamInfo<VocabCase>& info) {
        std::string name = info.param.name;
        for (char& c : name) {
            if (c == '-') c = '_';
        }
        return name;
    });

}  // namespace
}  // namespace assistd
