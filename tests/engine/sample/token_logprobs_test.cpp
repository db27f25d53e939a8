#include "engine/sample/token_logprobs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace assistd {
namespace {

TEST(TokenLogprobs, LogSoftmaxOfTheRawLogits) {
    const std::vector<float> logits = {1.0f, 2.0f, 3.0f};
    const double normalizer = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    TokenChoice choice = describe_choice(logits, 1, 0);
    EXPECT_EQ(choice.token, 1);
    EXPECT_NEAR(choice.logprob, 2.0 - normalizer, 1e-6);
    EXPECT_TRUE(choice.top.empty());
}

TEST(TokenLogprobs, TopAlternativesMostLikelyFirstTiesToLowerId) {
    const std::vector<float> logits = {0.5f, 3.0f, 0.5f, 2.0f};
    TokenChoice choice = describe_choice(logits, 0, 3);
    ASSERT_EQ(choice.top.size(), 3u);
    EXPECT_EQ(choice.top[0].token, 1);
    EXPECT_EQ(choice.top[1].token, 3);
    EXPECT_EQ(choice.top[2].token, 0);
    EXPECT_FLOAT_EQ(choice.top[2].logprob, choice.logprob);
    double total = 0.0;
    for (size_t i = 0; i < logits.size(); ++i) {
        total += std::exp(describe_choice(logits, static_cast<int32_t>(i), 0).logprob);
    }
    EXPECT_NEAR(total, 1.0, 1e-6);
}

TEST(TokenLogprobs, LargeLogitsDoNotOverflowAndNaNIsImpossible) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> logits = {1000.0f, nan, 999.0f};
    TokenChoice choice = describe_choice(logits, 0, 5);
    EXPECT_NEAR(choice.logprob, -std::log1p(std::exp(-1.0)), 1e-5);
    ASSERT_EQ(choice.top.size(), 2u);  // the NaN is never an alternative
    EXPECT_EQ(choice.top[1].token, 2);
    EXPECT_TRUE(std::isinf(describe_choice(logits, 1, 0).logprob));
}

}  // namespace
}  // namespace assistd
