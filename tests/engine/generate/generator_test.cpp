// The whole decode loop on real models: greedy text exactly as llama.cpp and the float reference
// print it, and the loop's limits (max tokens, stop strings, cancellation, context, bad prompts).
#include "engine/generate/generator.h"

#include <gtest/gtest.h>

#include "support/golden.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

// The float path: what the float reference was computed with.
const ModelOptions kFloat{.activations = ActivationMode::Float};

struct Loaded {
    std::unique_ptr<Model> model;
    Tokenizer tokenizer;
};

Loaded load(const std::string& name) {
    auto model = load_model(testing::shared_path("models/llm/" + name), kFloat);
    if (!model) throw std::runtime_error(model.error().message);
    auto tokenizer = Tokenizer::from_gguf((*model)->file());
    if (!tokenizer) throw std::runtime_error(tokenizer.error().message);
    return Loaded{std::move(*model), std::move(*tokenizer)};
}

GenerationParams greedy(int64_t max_tokens) {
    GenerationParams params;
    params.sampling.temperature = 0.0f;
    params.max_tokens = max_tokens;
    return params;
}

struct Output {
    std::string text;
    GenerationStats stats;
};

Output run(const Loaded& m, const std::string& prompt, const GenerationParams& params) {
    ThreadPool pool(2);
    auto ids = m.tokenizer.encode(prompt, m.tokenizer.add_bos_default());
    EXPECT_TRUE(ids.ok());
    Output out;
    auto stats = generate(*m.model, m.tokenizer, pool, *ids, params,
                          [&](std::string_view t, std::span<const TokenChoice>) {
                              out.text += t;
                              return true;
                          });
    EXPECT_TRUE(stats.ok()) << (stats.ok() ? "" : stats.error().message);
    if (stats) out.stats = *stats;
    return out;
}

TEST(Generator, GreedyTextMatchesFloatReference) {
    for (const testing::GreedyCase& c : testing::expected_greedy()) {
        if (c.model == "llama-2-tiny-random.gguf") continue;  // logit gaps of 5e-4: too fragile
        SCOPED_TRACE(c.model + " / '" + c.prompt + "'");
        Loaded m = load(c.model);
        Output out = run(m, c.prompt, greedy(static_cast<int64_t>(c.greedy_ids.size())));
        EXPECT_EQ(out.text, c.text);
        EXPECT_EQ(out.stats.n_prompt, static_cast<int64_t>(c.prompt_ids.size()));
    }
}

TEST(Generator, GreedyTextMatchesLlamaCpp) {
    const std::string float_path = " dequantized to F32";
    for (const testing::LlamaCppCase& c : testing::expected_llamacpp()) {
        std::string model = c.model;
        if (model.ends_with(float_path)) {
            // We compute in float from dequantized weights: that is llama.cpp on the F32 file.
            model.resize(model.size() - float_path.size());
        } else if (model.find("Q8_0") != std::string::npos) {
            continue;  // llama.cpp's 8-bit-activation path, see SOURCES.md
        }
        SCOPED_TRACE(c.model + " / '" + c.prompt + "'");
        Loaded m = load(model);
        EXPECT_EQ(run(m, c.prompt, greedy(c.n_predict)).text, c.continuation);
    }
}

TEST(Generator, StopsAtMaxTokens) {
    Loaded m = load("stories260K.gguf");
    Output out = run(m, "Once upon a time", greedy(5));
    EXPECT_EQ(out.stats.n_generated, 5);
    EXPECT_EQ(out.stats.finish, FinishReason::Length);
}

TEST(Generator, StopStringEndsGenerationAndIsNotEmitted) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params = greedy(100);
    params.stop = {"Lily"};
    Output out = run(m, "Once upon a time", params);
    EXPECT_EQ(out.text, ", there was a little girl named ");
    EXPECT_EQ(out.stats.finish, FinishReason::Stop);
}

TEST(Generator, EndsWhenTheContextIsFull) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params = greedy(-1);
    params.n_ctx = 16;
    Output out = run(m, "Once upon a time", params);  // 5 prompt tokens
    EXPECT_EQ(out.stats.n_generated, 12);
    EXPECT_EQ(out.stats.finish, FinishReason::Length);
}

TEST(Generator, SinkReturningFalseCancels) {
    Loaded m = load("stories260K.gguf");
    ThreadPool pool(1);
    int calls = 0;
    auto stats =
        generate(*m.model, m.tokenizer, pool, std::vector<int32_t>{1}, greedy(50),
                 [&](std::string_view, std::span<const TokenChoice>) { return ++calls < 3; });
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(stats->finish, FinishReason::Cancelled);
}

TEST(Generator, RejectsBadPrompts) {
    Loaded m = load("stories260K.gguf");
    ThreadPool pool(1);
    auto sink = [](std::string_view, std::span<const TokenChoice>) { return true; };
    auto empty = generate(*m.model, m.tokenizer, pool, {}, greedy(1), sink);
    ASSERT_FALSE(empty.ok());
    EXPECT_NE(empty.error().message.find("no tokens"), std::string::npos);

    auto out_of_vocab =
        generate(*m.model, m.tokenizer, pool, std::vector<int32_t>{1, 512}, greedy(1), sink);
    ASSERT_FALSE(out_of_vocab.ok());
    EXPECT_NE(out_of_vocab.error().message.find("token id 512"), std::string::npos);

    GenerationParams small = greedy(1);
    small.n_ctx = 4;
    auto too_long =
        generate(*m.model, m.tokenizer, pool, std::vector<int32_t>{1, 2, 3, 4}, small, sink);
    ASSERT_FALSE(too_long.ok());
    EXPECT_NE(too_long.error().message.find("context of 4"), std::string::npos);

    GenerationParams bad = greedy(1);
    bad.sampling.temperature = -1.0f;
    EXPECT_FALSE(generate(*m.model, m.tokenizer, pool, std::vector<int32_t>{1}, bad, sink).ok());
}

struct Reported {
    std::string text;
    std::vector<TokenChoice> tokens;
    GenerationStats stats;
};

Reported run_with_logprobs(const Loaded& m, GenerationParams params) {
    ThreadPool pool(1);
    auto ids = m.tokenizer.encode("Once upon a time", m.tokenizer.add_bos_default());
    Reported out;
    auto stats = generate(*m.model, m.tokenizer, pool, *ids, params,
                          [&](std::string_view text, std::span<const TokenChoice> tokens) {
                              out.text += text;
                              out.tokens.insert(out.tokens.end(), tokens.begin(), tokens.end());
                              return true;
                          });
    EXPECT_TRUE(stats.ok());
    if (stats) out.stats = *stats;
    return out;
}

std::string pieces_of(const Tokenizer& tokenizer, const std::vector<TokenChoice>& tokens) {
    std::string text;
    for (const TokenChoice& choice : tokens) text += tokenizer.token_to_piece(choice.token);
    return text;
}

TEST(Generator, LogprobsComeWithTheTokensOfTheirText) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params = greedy(20);
    params.logprobs = 3;
    Reported out = run_with_logprobs(m, params);
    ASSERT_EQ(static_cast<int64_t>(out.tokens.size()), out.stats.n_generated);
    EXPECT_EQ(pieces_of(m.tokenizer, out.tokens), out.text);
    for (const TokenChoice& choice : out.tokens) {
        ASSERT_EQ(choice.top.size(), 3u);
        EXPECT_EQ(choice.top[0].token, choice.token);  // greedy takes the most likely token
        EXPECT_FLOAT_EQ(choice.top[0].logprob, choice.logprob);
        EXPECT_LE(choice.logprob, 0.0f);
        EXPECT_GE(choice.top[1].logprob, choice.top[2].logprob);
    }
    params.logprobs = -1;
    Reported plain = run_with_logprobs(m, params);
    EXPECT_EQ(plain.text, out.text);
    EXPECT_TRUE(plain.tokens.empty());
}

TEST(Generator, TokensOfAStopStringAreNotReported) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params = greedy(100);
    params.stop = {" Lily"};  // the whole text of the token " Lily"
    params.logprobs = 0;
    Reported out = run_with_logprobs(m, params);
    EXPECT_EQ(out.text, ", there was a little girl named");
    EXPECT_LT(static_cast<int64_t>(out.tokens.size()), out.stats.n_generated);
    const std::string pieces = pieces_of(m.tokenizer, out.tokens);
    EXPECT_TRUE(pieces.starts_with(out.text)) << pieces;
    EXPECT_EQ(pieces.find("Lily"), std::string::npos) << pieces;
}

TEST(Generator, RejectsTooManyAlternatives) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params = greedy(1);
    params.logprobs = kMaxTopLogprobs + 1;
    ThreadPool pool(1);
    auto sink = [](std::string_view, std::span<const TokenChoice>) { return true; };
    EXPECT_FALSE(generate(*m.model, m.tokenizer, pool, std::vector<int32_t>{1}, params, sink).ok());
}

TEST(Generator, SeededSamplingIsReproducible) {
    Loaded m = load("stories260K.gguf");
    GenerationParams params;
    params.sampling.temperature = 1.0f;
    params.sampling.seed = 42;
    params.max_tokens = 40;
    const std::string first = run(m, "Once upon a time", params).text;
    EXPECT_EQ(run(m, "Once upon a time", params).text, first);
    params.sampling.seed = 43;
    EXPECT_NE(run(m, "Once upon a time", params).text, first);
}

}  // namespace
}  // namespace assistd
