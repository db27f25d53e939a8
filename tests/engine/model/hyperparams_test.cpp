#include "engine/model/hyperparams.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/gguf/gguf_writer.h"

namespace assistd {
namespace {

const std::vector<std::string> kRequiredKeys = {
    "llama.embedding_length",     "llama.block_count",    "llama.feed_forward_length",
    "llama.attention.head_count", "llama.context_length",
};

// A llama header with every hyperparameter except `skipped`, and an embedding of 32 x 16.
std::vector<uint8_t> llama_header_without(const std::string& skipped) {
    gguf::GgufWriter writer;
    writer.add_string("general.architecture", "llama");
    const auto add = [&](const std::string& key, uint32_t value) {
        if (key != skipped) writer.add_uint32(key, value);
    };
    add("llama.embedding_length", 16);
    add("llama.block_count", 1);
    add("llama.feed_forward_length", 32);
    add("llama.attention.head_count", 4);
    add("llama.context_length", 64);
    const std::vector<int64_t> ne = {16, 32};
    const std::vector<uint8_t> zeros(16 * 32 * sizeof(float));
    EXPECT_TRUE(writer.add_tensor("token_embd.weight", DType::F32, ne, zeros));
    return writer.to_bytes();
}

Result<Hyperparams> read(const std::vector<uint8_t>& bytes) {
    Result<gguf::GgufFile> file = gguf::GgufFile::parse(bytes);
    EXPECT_TRUE(file) << file.error().message;
    return read_hyperparams(*file);
}

TEST(Hyperparams, ReadsTheLlamaKeysAndDefaults) {
    const std::vector<uint8_t> bytes = llama_header_without("");
    Result<Hyperparams> hp = read(bytes);
    ASSERT_TRUE(hp) << hp.error().message;
    EXPECT_EQ(hp->n_vocab, 32);
    EXPECT_EQ(hp->n_embd, 16);
    EXPECT_EQ(hp->n_head_kv, 4);  // absent: one KV head per query head
    EXPECT_EQ(hp->n_rot, 4);      // absent: the whole head is rotated
}

TEST(Hyperparams, EachMissingRequiredKeyIsNamed) {
    for (const std::string& key : kRequiredKeys) {
        const std::vector<uint8_t> bytes = llama_header_without(key);
        Result<Hyperparams> hp = read(bytes);
        ASSERT_FALSE(hp) << key;
        EXPECT_NE(hp.error().message.find("missing required key '" + key + "'"), std::string::npos)
            << hp.error().message;
    }
}

TEST(Hyperparams, MissingArchitectureIsAnError) {
    gguf::GgufWriter writer;
    const std::vector<uint8_t> bytes = writer.to_bytes();
    Result<gguf::GgufFile> file = gguf::GgufFile::parse(bytes);
    ASSERT_TRUE(file);
    Result<Hyperparams> hp = read_hyperparams(*file);
    ASSERT_FALSE(hp);
    EXPECT_NE(hp.error().message.find("general.architecture"), std::string::npos)
        << hp.error().message;
}

}  // namespace
}  // namespace assistd
