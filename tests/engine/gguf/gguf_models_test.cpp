// Reads the real models and vocab files in ../shared/models and checks facts known about them.
#include <gtest/gtest.h>

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_invariants.h"
#include "support/shared_data.h"

namespace assistd::gguf {
namespace {

Result<GgufFile> open_shared(std::string_view relative) {
    Result<GgufFile> file = GgufFile::open(assistd::testing::shared_path(relative));
    if (file) {
        EXPECT_TRUE(check_invariants(*file).ok());
    }
    return file;
}

#define ASSERT_OPENS(var, relative)                                 \
    Result<GgufFile> var##_result = open_shared(relative);          \
    ASSERT_TRUE(var##_result.ok()) << var##_result.error().message; \
    const GgufFile& var = *var##_result

TEST(GgufModels, Stories260KHasItsKnownShape) {
    ASSERT_OPENS(file, "models/llm/stories260K.gguf");
    EXPECT_EQ(file.version(), 3u);
    EXPECT_EQ(file.alignment(), 32u);
    EXPECT_EQ(file.metadata().size(), 19u);
    EXPECT_EQ(file.tensors().size(), 48u);
    EXPECT_EQ(file.data_offset(), 14176u);  // tensor infos end at 14152
    EXPECT_EQ(*file.get_string("general.architecture"), "llama");
    EXPECT_EQ(*file.get_int("llama.embedding_length"), 64);
    EXPECT_EQ(*file.get_int("llama.block_count"), 5);
    EXPECT_EQ(*file.get_int("llama.attention.head_count"), 8);
    EXPECT_EQ(*file.get_int("llama.attention.head_count_kv"), 4);
    EXPECT_EQ(*file.get_int("llama.feed_forward_length"), 172);
    EXPECT_NEAR(*file.get_float("llama.attention.layer_norm_rms_epsilon"), 1e-5, 1e-9);
    EXPECT_FALSE(file.has("llama.rope.freq_base"));
    // "No such token" is written as 0xFFFFFFFF and must be accepted.
    EXPECT_EQ(*file.get_int("tokenizer.ggml.seperator_token_id"), 0xFFFFFFFF);
    auto tokens = file.get_string_array("tokenizer.ggml.tokens");
    ASSERT_TRUE(tokens.ok());
    ASSERT_EQ(tokens->size(), 512u);
    EXPECT_EQ((*tokens)[1], "<s>");
    EXPECT_EQ(file.get_f32_array("tokenizer.ggml.scores")->size(), 512u);
    EXPECT_EQ(file.get_i32_array("tokenizer.ggml.token_type")->at(0), 2);

    const TensorInfo* embd = file.find_tensor("token_embd.weight");
    ASSERT_NE(embd, nullptr);
    EXPECT_EQ(embd->type, DType::F32);
    EXPECT_EQ(embd->n_dims, 2);
    EXPECT_EQ(embd->ne, (std::array<int64_t, 4>{64, 512, 1, 1}));
    EXPECT_EQ(embd->n_bytes, 64u * 512u * 4u);
    const TensorInfo* last = file.find_tensor("blk.4.ffn_norm.weight");
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->offset, 1170944u);
    EXPECT_EQ(last->data + last->n_bytes, file.bytes().data() + file.bytes().size());
}

TEST(GgufModels, TinyStoriesQ8HasQuantizedTiedWeights) {
    ASSERT_OPENS(file, "models/llm/TinyStories-656K-Q8_0.gguf");
    EXPECT_EQ(file.tensors().size(), 20u);
    EXPECT_EQ(file.metadata().size(), 34u);
    EXPECT_EQ(*file.get_int("llama.embedding_length"), 128);
    EXPECT_EQ(*file.get_int("llama.block_count"), 2);
    EXPECT_EQ(*file.get_float("llama.rope.freq_base"), 10000.0);
    EXPECT_TRUE(*file.get_bool("tokenizer.ggml.add_bos_token"));
    EXPECT_EQ(file.get_string_array("general.languages")->front(), "en");
    EXPECT_EQ((*file.get_string_array("tokenizer.ggml.tokens"))[1], "<|start_story|>");
    EXPECT_EQ(file.find_tensor("output.weight"), nullptr);
    const TensorInfo* embd = file.find_tensor("token_embd.weight");
    ASSERT_NE(embd, nullptr);
    EXPECT_EQ(embd->type, DType::Q8_0);
    EXPECT_EQ(embd->n_bytes, 128u / 32u * 34u * 2048u);
    EXPECT_EQ(file.find_tensor("output_norm.weight")->type, DType::F32);
}

TEST(GgufModels, LlamaTinyRandomHasF16AndTheFullVocabulary) {
    ASSERT_OPENS(file, "models/llm/llama-2-tiny-random.gguf");
    EXPECT_EQ(file.tensors().size(), 12u);
    EXPECT_EQ(*file.get_int("llama.embedding_length"), 8);
    EXPECT_EQ(file.get_string_array("tokenizer.ggml.tokens")->size(), 32000u);
    const TensorInfo* embd = file.find_tensor("token_embd.weight");
    ASSERT_NE(embd, nullptr);
    EXPECT_EQ(embd->type, DType::F16);
    EXPECT_EQ(embd->n_bytes, 8u * 32000u * 2u);
}

TEST(GgufModels, VocabOnlyFilesWithoutDataSectionParse) {
    // These end right after the metadata, before the aligned start of an empty data section.
    ASSERT_OPENS(gpt2, "models/vocab/ggml-vocab-gpt-2.gguf");
    EXPECT_TRUE(gpt2.tensors().empty());
    EXPECT_GT(gpt2.data_offset(), gpt2.bytes().size());
    EXPECT_EQ((*gpt2.get_string_array("tokenizer.ggml.tokens"))[50256], "<|endoftext|>");
    EXPECT_EQ(gpt2.get_string_array("tokenizer.ggml.merges")->size(), 50000u);

    ASSERT_OPENS(bert, "models/vocab/ggml-vocab-bert-bge.gguf");
    EXPECT_EQ(*bert.get_string("tokenizer.ggml.model"), "bert");
    EXPECT_EQ((*bert.get_string_array("tokenizer.ggml.tokens"))[101], "[CLS]");
    EXPECT_EQ(*bert.get_int("tokenizer.ggml.seperator_token_id"), 102);

    ASSERT_OPENS(qwen2, "models/vocab/ggml-vocab-qwen2.gguf");
    EXPECT_EQ(qwen2.get_string_array("tokenizer.ggml.tokens")->size(), 151936u);
    EXPECT_EQ(qwen2.get_string_array("tokenizer.ggml.merges")->size(), 151387u);
    EXPECT_EQ(*qwen2.get_int("tokenizer.ggml.eos_token_id"), 151645);
}

TEST(GgufModels, EveryVocabFileParses) {
    for (const char* name :
         {"bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-bpe", "llama-spm",
          "mpt", "phi-3", "qwen2", "refact", "starcoder"}) {
        SCOPED_TRACE(name);
        ASSERT_OPENS(file, "models/vocab/ggml-vocab-" + std::string(name) + ".gguf");
        EXPECT_TRUE(file.has("tokenizer.ggml.tokens"));
    }
}

TEST(GgufModels, OpenNamesTheMissingFile) {
    Result<GgufFile> file = GgufFile::open("/nonexistent/model.gguf");
    ASSERT_FALSE(file.ok());
    EXPECT_NE(file.error().message.find("/nonexistent/model.gguf: cannot open"), std::string::npos)
        << file.error().message;
}

}  // namespace
}  // namespace assistd::gguf
