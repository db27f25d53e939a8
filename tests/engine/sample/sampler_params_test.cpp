#include "engine/sample/sampler_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace assistd {
namespace {

// The error message of validate(params), or "" when it passes.
std::string error_of(const SamplerParams& params) {
    Result<void> result = validate(params);
    return result ? "" : result.error().message;
}

// The error message for the defaults with one change.
template <typename Change>
std::string error_with(Change change) {
    SamplerParams params;
    change(params);
    return error_of(params);
}

constexpr float kInfinity = std::numeric_limits<float>::infinity();

TEST(SamplerParamsValidate, DefaultsAndEdgesPass) {
    EXPECT_EQ(error_of({}), "");
    SamplerParams edges;
    edges.temperature = 0.0f;
    edges.top_p = 1.0f;
    edges.min_p = 0.0f;
    edges.top_k = -1;
    edges.repeat_last_n = -1;
    edges.presence_penalty = -2.0f;
    edges.frequency_penalty = 2.0f;
    EXPECT_EQ(error_of(edges), "");
}

TEST(SamplerParamsValidate, NegativeOrNonFiniteTemperatureIsRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.temperature = -0.5f; }),
              "temperature must be a finite number >= 0, got -0.5");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.temperature = std::nanf(""); }),
              "temperature must be a finite number >= 0, got NaN");
    EXPECT_NE(error_with([](SamplerParams& p) { p.temperature = kInfinity; }), "");
}

TEST(SamplerParamsValidate, ProbabilitiesOutsideUnitIntervalAreRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.top_p = 1.5f; }),
              "top_p must be between 0 and 1, got 1.5");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.top_p = std::nanf(""); }),
              "top_p must be between 0 and 1, got NaN");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.min_p = -0.1f; }),
              "min_p must be between 0 and 1, got -0.1");
}

TEST(SamplerParamsValidate, NonPositiveRepeatPenaltyIsRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.repeat_penalty = 0.0f; }),
              "repeat_penalty must be a finite number > 0, got 0");
    EXPECT_NE(error_with([](SamplerParams& p) { p.repeat_penalty = std::nanf(""); }), "");
    EXPECT_NE(error_with([](SamplerParams& p) { p.repeat_penalty = kInfinity; }), "");
}

TEST(SamplerParamsValidate, RepeatLastNBelowMinusOneIsRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.repeat_last_n = -2; }),
              "repeat_last_n must be -1 (all context) or >= 0, got -2");
}

TEST(SamplerParamsValidate, OpenAiPenaltiesOutsideRangeAreRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.presence_penalty = 2.5f; }),
              "presence_penalty must be between -2 and 2, got 2.5");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.frequency_penalty = -3.0f; }),
              "frequency_penalty must be between -2 and 2, got -3");
}

TEST(SamplerParamsValidate, LogitBiasOutsideRangeOrNegativeIdIsRejected) {
    EXPECT_EQ(error_with([](SamplerParams& p) { p.logit_bias = {{5, 101.0f}}; }),
              "logit_bias must be between -100 and 100, got 101");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.logit_bias = {{-1, 1.0f}}; }),
              "logit_bias token id must be >= 0, got -1");
    EXPECT_EQ(error_with([](SamplerParams& p) { p.logit_bias = {{7, -100.0f}}; }), "");
}

}  // namespace
}  // namespace assistd
