// Synthetic models run end to end: the qwen2 tokenizer and architecture on a synth qwen2 model,
// qwen3's per-head norms and wide heads, the in-memory built-in model; greedy output does not
// depend on the thread count, and a batched prompt gives the same logits as token by token.
#include "engine/model/synthetic_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/generate/generator.h"
#include "engine/tokenizer/tokenizer.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

std::unique_ptr<Model> synthesize(const SyntheticSpec& spec, ModelOptions options = {}) {
    ThreadPool pool(2);
    Result<gguf::GgufWriter> writer = synthesize_model(spec, pool);
    EXPECT_TRUE(writer) << writer.error().message;
    if (!writer) return nullptr;
    Result<std::unique_ptr<Model>> model = load_model(writer->to_bytes(), options);
    EXPECT_TRUE(model) << model.error().message;
    return model ? std::move(*model) : nullptr;
}

std::string greedy_text(const Model& model, const Tokenizer& tokenizer, const std::string& prompt,
                        int threads) {
    ThreadPool pool(threads);
    GenerationParams params;
    params.sampling.temperature = 0.0f;
    params.max_tokens = 24;
    Result<std::vector<int32_t>> ids = tokenizer.encode(prompt, tokenizer.add_bos_default());
    EXPECT_TRUE(ids);
    std::string text;
    Result<GenerationStats> stats =
        generate(model, tokenizer, pool, *ids, params,
                 [&](std::string_view piece, std::span<const TokenChoice>) {
                     text += piece;
                     return true;
                 });
    EXPECT_TRUE(stats) << stats.error().message;
    EXPECT_EQ(stats->n_generated, 24);
    return text;
}

TEST(SyntheticModel, Qwen2WithTheQwen2VocabGivesTheSameGreedyTextOnOneTwoAndThreeThreads) {
    const SyntheticSpec spec{.architecture = "qwen2",
                             .preset = "tiny",
                             .scheme = QuantScheme::Q8_0,
                             .vocab = testing::shared_path("models/vocab/ggml-vocab-qwen2.gguf")};
    std::unique_ptr<Model> model = synthesize(spec);
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->hparams().n_vocab, 151936);
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf(model->file());
    ASSERT_TRUE(tokenizer) << tokenizer.error().message;
    const std::string prompt = "Hello, world! 你好";
    const std::string one = greedy_text(*model, *tokenizer, prompt, 1);
    EXPECT_FALSE(one.empty());
    EXPECT_EQ(greedy_text(*model, *tokenizer, prompt, 2), one);
    EXPECT_EQ(greedy_text(*model, *tokenizer, prompt, 3), one);
}

TEST(SyntheticModel, Qwen3RunsWithHeadsWiderThanEmbeddingOverHeadCount) {
    std::unique_ptr<Model> model = synthesize({.architecture = "qwen3"});
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->hparams().head_dim(), 128);
    EXPECT_EQ(model->hparams().n_embd_q(), 512);  // 4 heads of 128 over a 256-wide stream
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf(model->file());
    ASSERT_TRUE(tokenizer) << tokenizer.error().message;
    const std::string text = greedy_text(*model, *tokenizer, "qwen3", 2);
    EXPECT_EQ(greedy_text(*model, *tokenizer, "qwen3", 1), text);
}

// The batch path must be the decode path, only faster: same float operations, same order — also
// where Q4_0 and Q8_0 prompts go through AMX tiles and decode through AVX-512 (panel_format.h).
TEST(SyntheticModel, BatchedPromptGivesTheLogitsOfTokenByToken) {
    const std::pair<QuantScheme, const char*> schemes[] = {
        {QuantScheme::Q4_K_M, "q4_k_m"}, {QuantScheme::Q4_0, "q4_0"}, {QuantScheme::Q8_0, "q8_0"}};
    for (const char* arch : {"llama", "qwen2", "qwen3"}) {
        for (const auto& [scheme, scheme_name] : schemes) {
            for (ActivationMode mode : {ActivationMode::Float, ActivationMode::Int8}) {
                SCOPED_TRACE(std::string(arch) + " " + scheme_name +
                             (mode == ActivationMode::Int8 ? " int8" : " float"));
                std::unique_ptr<Model> model =
                    synthesize({.architecture = arch, .scheme = scheme}, {.activations = mode});
                ASSERT_NE(model, nullptr);
                ThreadPool pool(2);
                // Two AMX tiles of 16 rows and 8 rows after them.
                std::vector<int32_t> tokens = {256};
                for (char c : std::string_view("Hello, world: a prompt of forty tokens."))
                    tokens.push_back(static_cast<unsigned char>(c));
                Sequence batched = model->new_sequence(64);
                const std::span<const float> batch = model->forward_batch(batched, tokens, 0, pool);
                const std::vector<float> expected(batch.begin(), batch.end());
                Sequence stepped = model->new_sequence(64);
                std::span<const float> logits;
                for (size_t pos = 0; pos < tokens.size(); ++pos) {
                    logits = model->forward(stepped, tokens[pos], static_cast<int64_t>(pos), pool);
                }
                for (size_t i = 0; i < expected.size(); ++i) {
                    ASSERT_EQ(logits[i], expected[i]) << "logit " << i;
                    ASSERT_TRUE(std::isfinite(expected[i]));
                }
            }
        }
    }
}

// model.mmap: true keeps every matrix in the file's layout and its kernels (K-quants with Q8_K
// activations, one scale per 256 values); the repacked layout quantizes activations per 32 values.
// Both stay as close to the float path as 8-bit activations allow.
TEST(SyntheticModel, ComputingFromTheMappingAndRepackedBothFollowTheFloatPath) {
    for (QuantScheme scheme : {QuantScheme::Q4_0, QuantScheme::Q8_0, QuantScheme::Q4_K_M}) {
        const SyntheticSpec spec{.architecture = "qwen2", .scheme = scheme};
        std::unique_ptr<Model> exact = synthesize(spec, {.activations = ActivationMode::Float});
        std::unique_ptr<Model> repacked = synthesize(spec);
        std::unique_ptr<Model> mapped = synthesize(spec, {.compute_from_mapping = true});
        ASSERT_NE(exact, nullptr);
        ASSERT_NE(repacked, nullptr);
        ASSERT_NE(mapped, nullptr);
        ThreadPool pool(2);
        const std::vector<int32_t> tokens = {256, 104, 101, 108, 108, 111, 33, 32, 119, 111};
        const auto logits = [&](const Model& model) {
            Sequence seq = model.new_sequence(32);
            const std::span<const float> out = model.forward_batch(seq, tokens, 0, pool);
            return std::vector<float>(out.begin(), out.end());
        };
        const std::vector<float> want = logits(*exact);
        float largest = 0.0f;
        for (float v : want) largest = std::max(largest, std::fabs(v));
        ASSERT_GT(largest, 0.0f);
        for (const Model* model : {repacked.get(), mapped.get()}) {
            const std::vector<float> got = logits(*model);
            float worst = 0.0f;
            for (size_t i = 0; i < want.size(); ++i)
                worst = std::max(worst, std::fabs(got[i] - want[i]));
            // Measured: about 1 % of the largest logit either way; a wrong kernel is off by 100 %.
            EXPECT_LT(worst, 0.03f * largest) << (model == mapped.get() ? "mapped" : "repacked");
        }
    }
}

TEST(SyntheticModel, BuiltinTinyRunsFromMemoryWithTheByteVocabulary) {
    Result<std::unique_ptr<Model>> model = builtin_tiny_model();
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ((*model)->hparams().architecture, "llama");
    EXPECT_EQ((*model)->hparams().n_vocab, 258);
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf((*model)->file());
    ASSERT_TRUE(tokenizer) << tokenizer.error().message;
    Result<std::vector<int32_t>> ids = tokenizer->encode("hi", tokenizer->add_bos_default());
    ASSERT_TRUE(ids);
    EXPECT_EQ(*ids, (std::vector<int32_t>{256, 'h', 'i'}));
    const std::string text = greedy_text(**model, *tokenizer, "hi", 2);
    Result<std::unique_ptr<Model>> again = builtin_tiny_model();
    ASSERT_TRUE(again);
    EXPECT_EQ(greedy_text(**again, *tokenizer, "hi", 1), text);
}

// n_embd, n_layer, n_head, n_head_kv, n_ff of a preset.
std::vector<int64_t> shape_of(std::string_view preset) {
    const SyntheticPreset* p = find_synthetic_preset(preset);
    if (p == nullptr) return {};
    return {p->n_embd, p->n_layer, p->n_head, p->n_head_kv, p->n_ff};
}

TEST(SyntheticModel, PresetsHaveTheShapesOfTheModelsTheyStandFor) {
    EXPECT_EQ(shape_of("0.5b"), (std::vector<int64_t>{896, 24, 14, 2, 4864}));   // Qwen2.5-0.5B
    EXPECT_EQ(shape_of("1.1b"), (std::vector<int64_t>{2048, 22, 32, 4, 5632}));  // TinyLlama
    EXPECT_EQ(find_synthetic_preset("7b"), nullptr);
}

TEST(SyntheticModel, UnknownArchitecturePresetOrVocabIsAnError) {
    ThreadPool pool(1);
    Result<gguf::GgufWriter> arch = synthesize_model({.architecture = "gpt2"}, pool);
    ASSERT_FALSE(arch);
    EXPECT_NE(arch.error().message.find("'gpt2'"), std::string::npos) << arch.error().message;
    Result<gguf::GgufWriter> preset = synthesize_model({.preset = "huge"}, pool);
    ASSERT_FALSE(preset);
    EXPECT_NE(preset.error().message.find("'huge'"), std::string::npos);
    Result<gguf::GgufWriter> vocab = synthesize_model({.vocab = "/nonexistent.gguf"}, pool);
    EXPECT_FALSE(vocab);
}

// A file whose architecture is relabelled lacks that family's keys: the error names the key.
TEST(SyntheticModel, MissingKeyOfTheNamedArchitectureIsNamed) {
    ThreadPool pool(1);
    Result<gguf::GgufWriter> writer = synthesize_model({}, pool);
    ASSERT_TRUE(writer);
    writer->add_string("general.architecture", "qwen2");
    Result<std::unique_ptr<Model>> model = load_model(writer->to_bytes());
    ASSERT_FALSE(model);
    EXPECT_NE(model.error().message.find("missing required key 'qwen2.embedding_length'"),
              std::string::npos)
        << model.error().message;
}

}  // namespace
}  // namespace assistd
