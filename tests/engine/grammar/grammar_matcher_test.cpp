// The token mask on a real 150k vocabulary: the trie walk allows exactly the tokens a token-by-
// token check allows, end-of-generation only once the value is whole, and it is fast enough to
// run at every step.
#include "engine/grammar/grammar_matcher.h"

#include <gtest/gtest.h>

#include <chrono>

#include "engine/gguf/gguf_file.h"
#include "engine/grammar/json_schema_grammar.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

using json = nlohmann::json;

Tokenizer qwen2_tokenizer() {
    auto file = gguf::GgufFile::open(testing::shared_path("models/vocab/ggml-vocab-qwen2.gguf"));
    if (!file) throw std::runtime_error(file.error().message);
    auto tokenizer = Tokenizer::from_gguf(*file);
    if (!tokenizer) throw std::runtime_error(tokenizer.error().message);
    return std::move(*tokenizer);
}

std::shared_ptr<const Grammar> person_grammar() {
    auto grammar = json_schema_grammar(json::parse(R"({"type": "object", "properties": {
        "name": {"type": "string"}, "age": {"type": "integer"}, "ok": {"type": "boolean"}},
        "required": ["name", "age"], "additionalProperties": false})"),
                                       "schema");
    EXPECT_TRUE(grammar.ok());
    return std::make_shared<const Grammar>(std::move(*grammar));
}

// The mask computed the slow way: every token tried on its own copy of the matcher.
std::vector<uint8_t> one_by_one(const GrammarMatcher& matcher, const Tokenizer& tokenizer) {
    std::vector<uint8_t> allowed(static_cast<size_t>(tokenizer.n_vocab()), 0);
    for (int32_t token = 0; token < tokenizer.n_vocab(); ++token) {
        if (tokenizer.is_end_of_generation(token)) {
            allowed[token] = matcher.complete();
            continue;
        }
        const std::string piece = tokenizer.token_to_piece(token);
        GrammarMatcher copy = matcher;
        allowed[token] = !piece.empty() && copy.accept(piece);
    }
    return allowed;
}

class GrammarMatcherTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        tokenizer_ = new Tokenizer(qwen2_tokenizer());
        trie_ = new TokenTrie(*tokenizer_);
    }
    static void TearDownTestSuite() {
        delete trie_;
        delete tokenizer_;
    }
    static Tokenizer* tokenizer_;
    static TokenTrie* trie_;
};

Tokenizer* GrammarMatcherTest::tokenizer_ = nullptr;
TokenTrie* GrammarMatcherTest::trie_ = nullptr;

TEST_F(GrammarMatcherTest, TrieWalkAllowsExactlyWhatEachTokenAllows) {
    for (const char* prefix :
         {"", "{", "{\"age\":", "{\"age\": 1", "{\"age\":12,\"name\":\"Ad",
          "{\"age\":1,\"name\":\"A\",\"ok\":tr", "{\"age\":0,\"name\":\"A\"}"}) {
        SCOPED_TRACE(prefix);
        GrammarMatcher matcher(person_grammar());
        ASSERT_TRUE(matcher.accept(prefix));
        std::vector<uint8_t> fast;
        matcher.allowed_tokens(*trie_, fast);
        const std::vector<uint8_t> slow = one_by_one(matcher, *tokenizer_);
        ASSERT_EQ(fast.size(), slow.size());
        EXPECT_TRUE(fast == slow);
        EXPECT_GT(std::count(fast.begin(), fast.end(), 1), 0);
    }
}

TEST_F(GrammarMatcherTest, EndOfGenerationOnlyOnceTheValueIsWhole) {
    const int32_t eos = tokenizer_->eos();
    ASSERT_TRUE(tokenizer_->is_end_of_generation(eos));
    GrammarMatcher matcher(person_grammar());
    std::vector<uint8_t> allowed;
    ASSERT_TRUE(matcher.accept("{\"age\":7,\"name\":\"A\""));
    matcher.allowed_tokens(*trie_, allowed);
    EXPECT_EQ(allowed[eos], 0);
    ASSERT_TRUE(matcher.accept("}"));
    matcher.allowed_tokens(*trie_, allowed);
    EXPECT_EQ(allowed[eos], 1);
    EXPECT_EQ(std::count(allowed.begin(), allowed.end(), 1),
              static_cast<long>(trie_->end_of_generation().size()));  // nothing else
    EXPECT_FALSE(matcher.accept("x"));
}

// Inside a string nearly every token fits, the worst case for the walk: it must still take a
// small part of a decode step of a real model.
TEST_F(GrammarMatcherTest, MaskInsideAStringIsFast) {
    GrammarMatcher matcher(person_grammar());
    ASSERT_TRUE(matcher.accept("{\"age\":1,\"name\":\"Ad"));
    std::vector<uint8_t> allowed;
    const int runs = 20;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) matcher.allowed_tokens(*trie_, allowed);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count() /
        runs;
    std::printf("mask inside a string, %d-token vocabulary: %.2f ms\n", tokenizer_->n_vocab(), ms);
    EXPECT_LT(ms, 200.0);
}

}  // namespace
}  // namespace assistd
