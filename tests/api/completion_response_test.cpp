#include "api/completion_response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api_test_support.h"

namespace assistd::api {
namespace {

using testing::events_of;
using testing::stats_of;

const ResponseMeta kMeta{.id = "cmpl-abc",
                         .created = 1700000000,
                         .model = "stories",
                         .system_fingerprint = "fp_0123456789"};

TEST(CompletionResponse, BodyHasOpenAIShape) {
    const std::vector<CompletedChoice> choices = {
        {" there", {}, stats_of(3, 2, FinishReason::Length)}};
    const std::vector<std::string> no_echo = {""};
    nlohmann::json body = nlohmann::json::parse(
        text_completion_body(kMeta, choices, no_echo, 1, usage_of(3, choices), nullptr));
    EXPECT_EQ(body, nlohmann::json::parse(R"({
        "id": "cmpl-abc", "object": "text_completion", "created": 1700000000,
        "model": "stories", "system_fingerprint": "fp_0123456789",
        "choices": [{"text": " there", "index": 0, "logprobs": null, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}})"));
}

TEST(CompletionResponse, EchoPrefixesEachPromptsChoices) {
    // Two prompts × n=2: choices 0, 1 answer "A", choices 2, 3 answer "你".
    std::vector<CompletedChoice> choices;
    for (const char* text : {"1", "2", "好", "们"}) {
        choices.push_back({text, {}, stats_of(2, 1, FinishReason::Stop)});
    }
    const std::vector<std::string> echo = {"A", "你"};
    nlohmann::json body = nlohmann::json::parse(
        text_completion_body(kMeta, choices, echo, 2, usage_of(4, choices), nullptr));
    std::vector<std::string> texts;
    for (const auto& entry : body["choices"]) texts.push_back(entry["text"]);
    EXPECT_EQ(texts, (std::vector<std::string>{"A1", "A2", "你好", "你们"}));
    EXPECT_EQ(body["choices"][3]["index"], 3);
    EXPECT_EQ(body["usage"]["completion_tokens"], 4);
}

TEST(CompletionStream, PiecesThenFinishThenDone) {
    CompletionStream stream(kMeta, {""}, 1, false, nullptr);
    std::string frames = stream.piece(0, "Once", {});
    frames += stream.piece(0, " upon", {});
    frames += stream.finished(0, stats_of(1, 2, FinishReason::Stop));
    frames += stream.closing({1, 2, 0});
    std::vector<nlohmann::json> events = events_of(frames);
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0]["object"], "text_completion");
    EXPECT_EQ(events[0]["id"], "cmpl-abc");
    EXPECT_EQ(events[0]["choices"][0]["text"], "Once");
    EXPECT_TRUE(events[0]["choices"][0]["finish_reason"].is_null());
    EXPECT_FALSE(events[0].contains("usage"));
    EXPECT_EQ(events[1]["choices"][0]["text"], " upon");
    EXPECT_EQ(events[2]["choices"][0]["text"], "");
    EXPECT_EQ(events[2]["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(events[3], "[DONE]");
}

TEST(CompletionStream, EchoComesWithTheFirstEventAndUsageLast) {
    CompletionStream stream(kMeta, {"你好"}, 2, true, nullptr);
    std::string frames = stream.piece(1, "，", {});
    frames += stream.finished(0, stats_of(2, 0, FinishReason::Length));
    frames += stream.piece(1, "世界", {});
    frames += stream.finished(1, stats_of(2, 2, FinishReason::Stop));
    frames += stream.closing({2, 2, 0});
    std::vector<nlohmann::json> events = events_of(frames);
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events[0]["choices"][0]["text"], "你好，");
    EXPECT_EQ(events[1]["choices"][0]["text"], "你好");  // choice 0 generated nothing
    EXPECT_EQ(events[2]["choices"][0]["text"], "世界");
    for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(events[i]["usage"].is_null());
    EXPECT_EQ(events[4]["choices"], nlohmann::json::array());
    EXPECT_EQ(events[4]["usage"]["total_tokens"], 4);
    EXPECT_EQ(events[5], "[DONE]");
}

}  // namespace
}  // namespace assistd::api
