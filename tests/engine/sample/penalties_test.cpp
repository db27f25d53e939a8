#include "engine/sample/penalties.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace assistd {
namespace {

std::vector<Candidate> whole_vocab(const std::vector<float>& logits) {
    std::vector<Candidate> candidates;
    for (size_t id = 0; id < logits.size(); ++id) {
        candidates.push_back({static_cast<int32_t>(id), logits[id], 0.0f});
    }
    return candidates;
}

std::vector<float> logits_of(const std::vector<Candidate>& candidates) {
    std::vector<float> logits;
    for (const Candidate& candidate : candidates) logits.push_back(candidate.logit);
    return logits;
}

TEST(Penalties, RepetitionDividesPositiveMultipliesNegative) {
    TokenHistory history(5, 64);
    for (int32_t token : {0, 1, 3, 4}) history.accept(token);
    SamplerParams params;
    params.repeat_penalty = 2.0f;
    std::vector<Candidate> candidates = whole_vocab({2.0f, -1.0f, 0.5f, 0.0f, 3.0f});
    apply_penalties(candidates, history, params);
    EXPECT_EQ(logits_of(candidates), (std::vector<float>{1.0f, -2.0f, 0.5f, 0.0f, 1.5f}));
}

TEST(Penalties, FrequencyCountsOccurrencesPresenceCountsOnce) {
    TokenHistory history(5, 64);
    for (int32_t token : {0, 0, 0, 1, 3}) history.accept(token);
    SamplerParams params;
    params.frequency_penalty = 0.5f;
    params.presence_penalty = 0.25f;
    std::vector<Candidate> candidates = whole_vocab({2.0f, -1.0f, 0.5f, 3.0f, -2.0f});
    apply_penalties(candidates, history, params);
    // 2 - (3*0.5 + 0.25), -1 - (0.5 + 0.25), untouched, 3 - (0.5 + 0.25), untouched
    EXPECT_EQ(logits_of(candidates), (std::vector<float>{0.25f, -1.75f, 0.5f, 2.25f, -2.0f}));
}

TEST(Penalties, RepetitionAppliesBeforeFrequencyAndPresence) {
    TokenHistory history(3, 64);
    for (int32_t token : {0, 0, 1}) history.accept(token);
    SamplerParams params;
    params.repeat_penalty = 2.0f;
    params.frequency_penalty = 0.5f;
    params.presence_penalty = 0.25f;
    std::vector<Candidate> candidates = whole_vocab({2.0f, -1.0f, 4.0f});
    apply_penalties(candidates, history, params);
    // 2/2 - 1.25, -1*2 - 0.75, untouched
    EXPECT_EQ(logits_of(candidates), (std::vector<float>{-0.25f, -2.75f, 4.0f}));
}

TEST(TokenHistory, WindowForgetsTokensThatLeaveIt) {
    TokenHistory history(4, 2);
    for (int32_t token : {0, 0, 1, 3}) history.accept(token);
    EXPECT_EQ(history.count(0), 0);
    EXPECT_EQ(history.count(1), 1);
    EXPECT_EQ(history.count(3), 1);
    std::vector<int32_t> distinct(history.distinct().begin(), history.distinct().end());
    std::sort(distinct.begin(), distinct.end());
    EXPECT_EQ(distinct, (std::vector<int32_t>{1, 3}));
}

TEST(TokenHistory, MinusOneKeepsAllZeroKeepsNone) {
    TokenHistory all(3, -1);
    TokenHistory none(3, 0);
    for (int i = 0; i < 1000; ++i) {
        all.accept(2);
        none.accept(2);
    }
    EXPECT_EQ(all.count(2), 1000);
    EXPECT_EQ(none.count(2), 0);
    EXPECT_TRUE(none.distinct().empty());
}

TEST(TokenHistory, ClearForgetsEverything) {
    TokenHistory history(3, 8);
    for (int32_t token : {0, 1, 1}) history.accept(token);
    history.clear();
    EXPECT_EQ(history.count(1), 0);
    EXPECT_TRUE(history.distinct().empty());
    history.accept(2);
    EXPECT_EQ(history.count(2), 1);
}

}  // namespace
}  // namespace assistd
