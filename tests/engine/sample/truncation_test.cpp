// Each filter alone on hand-made logits, through the Sampler: only the expected tokens come out,
// in roughly the expected proportions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "engine/sample/sampler.h"
#include "engine/sample/truncation.h"

namespace assistd {
namespace {

// Probabilities by id, deliberately not sorted: 1 > 3 > 4 > 0 > 2.
const std::vector<float> kProbabilities = {0.10f, 0.40f, 0.05f, 0.30f, 0.15f};

std::vector<float> logits_of(const std::vector<float>& probabilities) {
    std::vector<float> logits;
    for (float p : probabilities) logits.push_back(std::log(p));
    return logits;
}

// Every filter off, temperature 1: the draw follows the softmax of the logits.
SamplerParams plain() {
    SamplerParams params;
    params.temperature = 1.0f;
    params.top_k = 0;
    params.top_p = 1.0f;
    params.min_p = 0.0f;
    return params;
}

// The tokens drawn by 2000 samplers with different seeds.
std::set<int32_t> drawn_tokens(SamplerParams params) {
    const std::vector<float> logits = logits_of(kProbabilities);
    std::set<int32_t> tokens;
    for (uint64_t seed = 0; seed < 2000; ++seed) {
        params.seed = seed;
        Sampler sampler(params, static_cast<int32_t>(logits.size()));
        tokens.insert(sampler.sample(logits));
    }
    return tokens;
}

// Checks that 20000 draws with one fixed seed follow `expected` (id → probability) within 0.02,
// about six standard deviations: loose enough to never flake, tight enough to catch a wrong
// renormalisation.
void expect_distribution(SamplerParams params, const std::map<int32_t, double>& expected) {
    const std::vector<float> logits = logits_of(kProbabilities);
    params.seed = 1234;
    Sampler sampler(params, static_cast<int32_t>(logits.size()));
    const int draws = 20000;
    std::map<int32_t, int> counts;
    for (int i = 0; i < draws; ++i) ++counts[sampler.sample(logits)];
    for (const auto& [token, count] : counts) EXPECT_TRUE(expected.contains(token)) << token;
    for (const auto& [token, probability] : expected) {
        EXPECT_NEAR(static_cast<double>(counts[token]) / draws, probability, 0.02) << token;
    }
}

// The probabilities of kProbabilities at a temperature: p^(1/t), renormalised.
std::map<int32_t, double> softmax_at(float temperature) {
    std::map<int32_t, double> result;
    double total = 0.0;
    for (size_t id = 0; id < kProbabilities.size(); ++id) {
        result[static_cast<int32_t>(id)] = std::pow(kProbabilities[id], 1.0 / temperature);
        total += result[static_cast<int32_t>(id)];
    }
    for (auto& [token, probability] : result) probability /= total;
    return result;
}

TEST(Truncation, NoFilterDrawsFromTheSoftmax) {
    EXPECT_EQ(drawn_tokens(plain()), (std::set<int32_t>{0, 1, 2, 3, 4}));
    expect_distribution(plain(), {{0, 0.10}, {1, 0.40}, {2, 0.05}, {3, 0.30}, {4, 0.15}});
}

TEST(Truncation, TopKKeepsTheKMostLikely) {
    SamplerParams params = plain();
    params.top_k = 2;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3}));
    expect_distribution(params, {{1, 0.4 / 0.7}, {3, 0.3 / 0.7}});
}

TEST(Truncation, TopPKeepsTheShortestPrefixReachingP) {
    SamplerParams params = plain();
    params.top_p = 0.65f;  // 0.40 < 0.65 <= 0.40 + 0.30
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3}));
    params.top_p = 0.75f;  // needs 0.15 more
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3, 4}));
    expect_distribution(params, {{1, 0.40 / 0.85}, {3, 0.30 / 0.85}, {4, 0.15 / 0.85}});
    params.top_p = 0.0f;  // always at least one
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1}));
}

TEST(Truncation, MinPKeepsTokensNearTheBest) {
    SamplerParams params = plain();
    params.min_p = 0.3f;  // p >= 0.12
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3, 4}));
    params.min_p = 0.5f;  // p >= 0.2
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3}));
    expect_distribution(params, {{1, 0.4 / 0.7}, {3, 0.3 / 0.7}});
    params.min_p = 1.0f;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1}));
}

TEST(Truncation, TemperatureSharpensOrFlattens) {
    SamplerParams params = plain();
    params.temperature = 2.0f;
    expect_distribution(params, softmax_at(params.temperature));
    params.temperature = 0.25f;
    expect_distribution(params, softmax_at(params.temperature));
}

// llama.cpp's order: top-k renormalises before top-p measures. Over {1, 3, 4} the probabilities
// are 0.47, 0.35, 0.18, so 0.8 is reached after two tokens, not three.
TEST(Truncation, TopKRunsBeforeTopP) {
    SamplerParams params = plain();
    params.top_p = 0.8f;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3, 4}));
    params.top_k = 3;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3}));
}

// Top-p measures against every candidate, as if min-p had not run yet: over the whole set 0.8
// needs three tokens (0.85); measured over min-p's survivors it would need only two.
TEST(Truncation, TopPMeasuresBeforeMinPRemovesTokens) {
    SamplerParams params = plain();
    params.top_p = 0.8f;
    params.min_p = 0.3f;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3, 4}));
    params.min_p = 0.5f;
    EXPECT_EQ(drawn_tokens(params), (std::set<int32_t>{1, 3}));
}

TEST(Truncation, TopKBreaksTiesTowardsLowerIds) {
    std::vector<Candidate> candidates = {{0, 1.0f, 0}, {1, 2.0f, 0}, {2, 1.0f, 0}, {3, 1.0f, 0}};
    keep_top_k(candidates, 3);
    ASSERT_EQ(candidates.size(), 3u);
    EXPECT_EQ(candidates[0].id, 1);
    EXPECT_EQ(candidates[1].id, 0);
    EXPECT_EQ(candidates[2].id, 2);
}

TEST(Truncation, TopKOfALargeVocabularyKeepsTheBest) {
    const int32_t n_vocab = 152064;
    std::vector<Candidate> candidates;
    for (int32_t id = 0; id < n_vocab; ++id) {
        candidates.push_back({id, static_cast<float>((id * 7919) % n_vocab), 0});
    }
    keep_top_k(candidates, 40);
    ASSERT_EQ(candidates.size(), 40u);
    for (size_t i = 0; i < candidates.size(); ++i) {
        EXPECT_EQ(candidates[i].logit, static_cast<float>(n_vocab - 1 - static_cast<int>(i)));
    }
}

// A flat distribution makes the nucleus span several of top-p's sorting blocks; the result must
// equal the prefix of a full sort.
TEST(Truncation, TopPOverManyTokensMatchesAFullSort) {
    std::vector<Candidate> candidates;
    for (int32_t id = 0; id < 5000; ++id) {
        candidates.push_back({id, static_cast<float>((id * 37) % 5000) * -0.001f, 0});
    }
    std::vector<Candidate> reference = candidates;
    std::sort(reference.begin(), reference.end(), more_likely);
    const double mass = softmax_mass(candidates);
    double cumulative = 0.0;
    size_t expected = 0;
    while (cumulative < 0.7 * mass) cumulative += std::exp(reference[expected++].logit);

    keep_top_p(candidates, 0.7f, mass);
    ASSERT_EQ(candidates.size(), expected);
    EXPECT_GT(expected, 1000u);
    for (size_t i = 0; i < expected; ++i) EXPECT_EQ(candidates[i].id, reference[i].id);
}

}  // namespace
}  // namespace assistd
