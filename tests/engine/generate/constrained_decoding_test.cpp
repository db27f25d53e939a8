// Structured output from random weights: with the grammar in charge of the mask, whatever the
// model prefers, every output parses and validates against its schema.
#include <gtest/gtest.h>

#include "engine/generate/generator.h"
#include "engine/grammar/json_schema_grammar.h"
#include "engine/model/synthetic_model.h"
#include "support/schema_check.h"

namespace assistd {
namespace {

using json = nlohmann::json;

// Every string, array and number is bounded, so a whole value takes at most a few hundred
// bytes: with max_tokens above that, generation must end by completing the value.
const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 8},
    "age": {"type": "integer"},
    "score": {"type": ["number", "null"]},
    "tags": {"type": "array", "items": {"enum": ["red", "green", "blue"]}, "maxItems": 3},
    "home": {"$ref": "#/$defs/place"},
    "member": {"type": "boolean"}
  },
  "required": ["name", "age", "tags", "home"],
  "additionalProperties": false,
  "$defs": {"place": {"type": "object", "properties": {
    "city": {"type": "string", "maxLength": 6}, "zip": {"const": "x-1"}},
    "required": ["city"], "additionalProperties": false}}
})");

struct TinyModel {
    std::unique_ptr<Model> model;
    std::optional<Tokenizer> tokenizer;
    std::shared_ptr<const TokenTrie> trie;
};

TinyModel tiny() {
    TinyModel s;
    auto model = builtin_tiny_model();
    if (!model) throw std::runtime_error(model.error().message);
    s.model = std::move(*model);
    auto tokenizer = Tokenizer::from_gguf(s.model->file());
    if (!tokenizer) throw std::runtime_error(tokenizer.error().message);
    s.tokenizer = std::move(*tokenizer);
    s.trie = std::make_shared<const TokenTrie>(*s.tokenizer);
    return s;
}

struct Output {
    std::string text;
    GenerationStats stats;
};

Output run(const TinyModel& s, ThreadPool& pool, const GrammarConstraint& constraint, uint64_t seed,
           int64_t max_tokens) {
    GenerationParams params;
    params.sampling.temperature = 1.0f;
    params.sampling.top_k = 0;
    params.sampling.top_p = 1.0f;
    params.sampling.min_p = 0.0f;
    params.sampling.seed = seed;
    params.max_tokens = max_tokens;
    params.constraint = constraint;
    auto prompt = s.tokenizer->encode("Describe a person as JSON:", true);
    EXPECT_TRUE(prompt.ok());
    Output out;
    auto stats = generate(*s.model, *s.tokenizer, pool, *prompt, params,
                          [&](std::string_view text, std::span<const TokenChoice>) {
                              out.text += text;
                              return true;
                          });
    EXPECT_TRUE(stats.ok()) << (stats.ok() ? "" : stats.error().message);
    if (stats) out.stats = *stats;
    return out;
}

TEST(ConstrainedDecoding, FiftySeedsAllParseAndValidate) {
    const TinyModel s = tiny();
    ThreadPool pool(1);
    auto grammar = json_schema_grammar(kSchema, "schema");
    ASSERT_TRUE(grammar.ok()) << grammar.error().message;
    const GrammarConstraint constraint{std::make_shared<const Grammar>(std::move(*grammar)),
                                       s.trie};
    for (uint64_t seed = 1; seed <= 50; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const Output out = run(s, pool, constraint, seed, 1000);
        EXPECT_EQ(out.stats.finish, FinishReason::Stop);
        const json value = json::parse(out.text, nullptr, false);
        ASSERT_FALSE(value.is_discarded()) << out.text;
        EXPECT_EQ(testing::schema_violation(value, kSchema), "") << out.text;
    }
}

TEST(ConstrainedDecoding, RunningOutOfTokensStopsUnfinishedWithLength) {
    const TinyModel s = tiny();
    ThreadPool pool(1);
    auto grammar = json_schema_grammar(kSchema, "schema");
    ASSERT_TRUE(grammar.ok());
    const GrammarConstraint constraint{std::make_shared<const Grammar>(std::move(*grammar)),
                                       s.trie};
    const Output out = run(s, pool, constraint, 7, 5);
    EXPECT_EQ(out.stats.finish, FinishReason::Length);
    EXPECT_EQ(out.stats.n_generated, 5);
    EXPECT_TRUE(out.text.starts_with("{\"a")) << out.text;  // "age" comes first
}

TEST(ConstrainedDecoding, FreeObjectsParse) {
    const TinyModel s = tiny();
    ThreadPool pool(1);
    const GrammarConstraint constraint{std::make_shared<const Grammar>(json_object_grammar()),
                                       s.trie};
    int finished = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        const Output out = run(s, pool, constraint, seed, 400);
        if (out.stats.finish != FinishReason::Stop) continue;  // random nesting may run long
        ++finished;
        const json value = json::parse(out.text, nullptr, false);
        EXPECT_TRUE(value.is_object()) << out.text;
    }
    EXPECT_GT(finished, 0);
}

}  // namespace
}  // namespace assistd
