// `assistd quantize` at the library level: llama.cpp's Q4_K_M type mix, metadata kept, and a
// Q8_0 stories260K whose greedy text starts as the F32 model's does.
#include "engine/model/quantization.h"

#include <gtest/gtest.h>

#include "engine/generate/generator.h"
#include "engine/tokenizer/tokenizer.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

DType type_of(QuantScheme scheme, std::string_view name, int64_t row_length = 2048,
              bool has_output = true) {
    return tensor_type(scheme,
                       {name, name.ends_with("norm.weight") ? 1 : 2, row_length, 22, has_output});
}

TEST(Quantization, Q4KMGivesSensitiveLayersSixBitsAsLlamaCppDoes) {
    const QuantScheme s = QuantScheme::Q4_K_M;
    EXPECT_EQ(type_of(s, "blk.0.attn_q.weight"), DType::Q4_K);
    EXPECT_EQ(type_of(s, "blk.0.attn_norm.weight"), DType::F32);
    EXPECT_EQ(type_of(s, "output.weight"), DType::Q6_K);
    EXPECT_EQ(type_of(s, "token_embd.weight"), DType::Q4_K);
    EXPECT_EQ(type_of(s, "token_embd.weight", 2048, false), DType::Q6_K);  // tied: the output
    // 22 layers: the first and last eighth (0..1, 19..21) and every third between (4, 7, ...).
    for (int layer : {0, 1, 4, 7, 19, 21}) {
        EXPECT_EQ(type_of(s, "blk." + std::to_string(layer) + ".attn_v.weight"), DType::Q6_K)
            << layer;
        EXPECT_EQ(type_of(s, "blk." + std::to_string(layer) + ".ffn_down.weight"), DType::Q6_K);
    }
    for (int layer : {2, 3, 5, 18}) {
        EXPECT_EQ(type_of(s, "blk." + std::to_string(layer) + ".attn_v.weight"), DType::Q4_K)
            << layer;
    }
    // Qwen2.5-0.5B rows of 896 do not fit 256-value super-blocks: llama.cpp's fallbacks.
    EXPECT_EQ(type_of(s, "blk.2.attn_q.weight", 896), DType::Q5_0);
    EXPECT_EQ(type_of(s, "output.weight", 896), DType::Q8_0);
}

// Q5_K_M: the same six-bit layers, Q5_K elsewhere, and llama.cpp's fallback for short rows.
TEST(Quantization, Q5KMFollowsQ4KMWithFiveBitSuperBlocks) {
    const QuantScheme s = QuantScheme::Q5_K_M;
    EXPECT_EQ(type_of(s, "blk.2.attn_q.weight"), DType::Q5_K);
    EXPECT_EQ(type_of(s, "blk.0.ffn_down.weight"), DType::Q6_K);
    EXPECT_EQ(type_of(s, "blk.3.ffn_down.weight"), DType::Q5_K);
    EXPECT_EQ(type_of(s, "output.weight"), DType::Q6_K);
    EXPECT_EQ(type_of(s, "blk.2.attn_q.weight", 896), DType::Q5_1);
    EXPECT_EQ(quant_scheme_file_type(s), 17u);  // LLAMA_FTYPE_MOSTLY_Q5_K_M
    EXPECT_EQ(parse_quant_scheme("q5_k_m"), s);
}

TEST(Quantization, PlainSchemesKeepOneTypeExceptNormsAndTheOutput) {
    EXPECT_EQ(type_of(QuantScheme::Q8_0, "output.weight"), DType::Q8_0);
    EXPECT_EQ(type_of(QuantScheme::Q8_0, "blk.3.ffn_down.weight"), DType::Q8_0);
    EXPECT_EQ(type_of(QuantScheme::Q4_0, "blk.3.ffn_down.weight"), DType::Q4_0);
    EXPECT_EQ(type_of(QuantScheme::Q4_0, "output.weight"), DType::Q6_K);
    EXPECT_EQ(type_of(QuantScheme::F16, "output.weight"), DType::F16);
    EXPECT_EQ(type_of(QuantScheme::F16, "output_norm.weight"), DType::F32);
    EXPECT_EQ(type_of(QuantScheme::Q8_0, "blk.0.ffn_down.weight", 172), DType::F16);  // 172 % 32
}

TEST(Quantization, SchemeNamesParseInAnyCase) {
    EXPECT_EQ(parse_quant_scheme("q4_k_m"), QuantScheme::Q4_K_M);
    EXPECT_EQ(parse_quant_scheme("F16"), QuantScheme::F16);
    EXPECT_EQ(parse_quant_scheme("Q3_K"), std::nullopt);
}

std::vector<int32_t> greedy_ids(const Model& model, int n) {
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf(model.file());
    EXPECT_TRUE(tokenizer);
    Result<std::vector<int32_t>> prompt = tokenizer->encode("Once upon a time", true);
    EXPECT_TRUE(prompt);
    ThreadPool pool(2);
    Sequence seq = model.new_sequence(0);
    std::span<const float> logits = model.forward_batch(seq, *prompt, 0, pool);
    std::vector<int32_t> ids;
    for (int64_t pos = static_cast<int64_t>(prompt->size()); static_cast<int>(ids.size()) < n;
         ++pos) {
        const int32_t next =
            static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
        ids.push_back(next);
        logits = model.forward(seq, next, pos, pool);
    }
    return ids;
}

TEST(Quantization, StoriesQ8_0GreedyStartsAsTheF32ModelDoes) {
    Result<gguf::GgufFile> f32 =
        gguf::GgufFile::open(testing::shared_path("models/llm/stories260K.gguf"));
    ASSERT_TRUE(f32) << f32.error().message;
    ThreadPool pool(2);
    gguf::GgufWriter writer;
    Result<void> converted = quantize_model(*f32, QuantScheme::Q8_0, writer, pool);
    ASSERT_TRUE(converted) << converted.error().message;
    const std::vector<uint8_t> bytes = writer.to_bytes();

    Result<gguf::GgufFile> q8 = gguf::GgufFile::parse(bytes);
    ASSERT_TRUE(q8) << q8.error().message;
    EXPECT_EQ(q8->find_tensor("blk.0.attn_q.weight")->type, DType::Q8_0);
    EXPECT_EQ(q8->find_tensor("blk.0.attn_norm.weight")->type, DType::F32);
    for (const gguf::KeyValue& kv : f32->metadata()) {
        EXPECT_TRUE(q8->has(kv.key)) << kv.key;
    }
    EXPECT_EQ(*q8->get_int("general.file_type"), 7);
    EXPECT_EQ(q8->get_string_array("tokenizer.ggml.tokens")->size(),
              f32->get_string_array("tokenizer.ggml.tokens")->size());

    Result<std::unique_ptr<Model>> reference =
        load_model(testing::shared_path("models/llm/stories260K.gguf"),
                   {.activations = ActivationMode::Float});
    ASSERT_TRUE(reference);
    Result<std::unique_ptr<Model>> quantized = load_model(bytes);
    ASSERT_TRUE(quantized) << quantized.error().message;
    EXPECT_EQ(greedy_ids(**quantized, 32), greedy_ids(**reference, 32));
}

}  // namespace
}  // namespace assistd
