// The llama forward pass against the float reference in expected_greedy.json: first logits within
// 1e-3 relative, and every greedy token the argmax (or within a float-noise tie of it) when the
// reference continuation is fed back in (teacher forcing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/model/model.h"
#include "support/golden.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

// The float path: what the float reference was computed with.
const ModelOptions kFloat{.activations = ActivationMode::Float};

using testing::GreedyCase;

class LlamaModelGolden : public ::testing::TestWithParam<GreedyCase> {};

std::unique_ptr<Model> load(const std::string& name) {
    auto model = load_model(testing::shared_path("models/llm/" + name), kFloat);
    EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
    return model.ok() ? std::move(*model) : nullptr;
}

TEST_P(LlamaModelGolden, FirstLogitsMatchReference) {
    const GreedyCase& c = GetParam();
    std::unique_ptr<Model> model = load(c.model);
    ASSERT_NE(model, nullptr);
    ThreadPool pool(2);
    Sequence seq = model->new_sequence(0);
    std::span<const float> logits;
    for (size_t pos = 0; pos < c.prompt_ids.size(); ++pos) {
        logits = model->forward(seq, c.prompt_ids[pos], static_cast<int64_t>(pos), pool);
    }
    const float scale = std::max(1.0f, *std::max_element(logits.begin(), logits.end()));
    for (size_t i = 0; i < c.first_logits.size(); ++i) {
        // The reference prints 5 decimals, so anything tighter than 1e-5 absolute is noise.
        EXPECT_NEAR(logits[i], c.first_logits[i], 1e-3f * std::abs(c.first_logits[i]) + 1e-5f)
            << "logit " << i << " (largest logit " << scale << ")";
    }
}

TEST_P(LlamaModelGolden, ReferenceTokensAreArgmaxUnderTeacherForcing) {
    const GreedyCase& c = GetParam();
    std::unique_ptr<Model> model = load(c.model);
    ASSERT_NE(model, nullptr);
    ThreadPool pool(2);
    Sequence seq = model->new_sequence(0);
    std::vector<int32_t> tokens = c.prompt_ids;
    int64_t pos = 0;
    for (; pos + 1 < static_cast<int64_t>(tokens.size()); ++pos) {
        model->forward(seq, tokens[pos], pos, pool);
    }
    for (int32_t expected : c.greedy_ids) {
        std::span<const float> logits = model->forward(seq, tokens.back(), pos++, pool);
        const float best = *std::max_element(logits.begin(), logits.end());
        // A reference token that is not our argmax must be a near-tie in the reference too.
        EXPECT_GE(logits[expected], best - 1e-4f * std::max(1.0f, std::abs(best)))
            << "at generated token " << tokens.size() - c.prompt_ids.size();
        tokens.push_back(expected);
    }
}

INSTANTIATE_TEST_SUITE_P(
    SharedModels, LlamaModelGolden, ::testing::ValuesIn(testing::expected_greedy()),
    [](const ::testing::TestParamInfo<GreedyCase>& info) {
        std::string name = info.param.model.substr(0, 12) + "_" + std::to_string(info.index);
        std::replace_if(
            name.begin(), name.end(),
            [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
        return name;
    });

TEST(LlamaModel, SameLogitsWithOneAndTwoThreads) {
    std::unique_ptr<Model> model = load("TinyStories-656K-Q8_0.gguf");
    ASSERT_NE(model, nullptr);
    ThreadPool one(1), two(2);
    Sequence a = model->new_sequence(64), b = model->new_sequence(64);
    const int32_t tokens[] = {1, 80, 147, 201, 282, 57};
    for (int64_t pos = 0; pos < 6; ++pos) {
        std::span<const float> la = model->forward(a, tokens[pos], pos, one);
        std::span<const float> lb = model->forward(b, tokens[pos], pos, two);
        for (size_t i = 0; i < la.size(); ++i) ASSERT_EQ(la[i], lb[i]) << "pos " << pos;
    }
}

TEST(LlamaModel, TiedEmbeddingsAreUsedWhenOutputIsAbsent) {
    std::unique_ptr<Model> model = load("TinyStories-656K-Q8_0.gguf");
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->file().find_tensor("output.weight"), nullptr);
    EXPECT_EQ(model->hparams().n_vocab, 2048);
}

TEST(LlamaModel, DefaultContextIsTheTrainedOneCappedAt4096) {
    std::unique_ptr<Model> model = load("stories260K.gguf");
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->new_sequence(0).kv.n_ctx(), 2048);
    EXPECT_EQ(model->new_sequence(100).kv.n_ctx(), 100);
}

}  // namespace
}  // namespace assistd
