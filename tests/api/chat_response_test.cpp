#include "api/chat_response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api_test_support.h"

namespace assistd::api {
namespace {

const ResponseMeta kMeta{.id = "chatcmpl-abc",
                         .created = 1700000000,
                         .model = "stories",
                         .system_fingerprint = "fp_0123456789"};

using testing::events_of;

CompletedChoice choice(std::string text, int64_t generated, FinishReason finish) {
    return {std::move(text), {}, testing::stats_of(5, generated, finish)};
}

TEST(ChatResponse, BodyHasOpenAIShape) {
    const std::vector<CompletedChoice> choices = {choice("Hello", 2, FinishReason::Stop),
                                                  choice("Hi there", 4, FinishReason::Length)};
    nlohmann::json body =
        nlohmann::json::parse(chat_completion_body(kMeta, choices, usage_of(5, choices), nullptr));
    EXPECT_EQ(body, nlohmann::json::parse(R"({
        "id": "chatcmpl-abc", "object": "chat.completion", "created": 1700000000,
        "model": "stories", "system_fingerprint": "fp_0123456789",
        "choices": [
          {"index": 0, "message": {"role": "assistant", "content": "Hello", "refusal": null},
           "logprobs": null, "finish_reason": "stop"},
          {"index": 1, "message": {"role": "assistant", "content": "Hi there", "refusal": null},
           "logprobs": null, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 6, "total_tokens": 11,
                  "prompt_tokens_details": {"cached_tokens": 0}}})"));
}

TEST(ChatResponse, ChineseIsWrittenAsUtf8NotEscaped) {
    const std::vector<CompletedChoice> choices = {choice("你好，世界", 3, FinishReason::Stop)};
    std::string body = chat_completion_body(kMeta, choices, usage_of(5, choices), nullptr);
    EXPECT_NE(body.find("\"content\":\"你好，世界\""), std::string::npos) << body;
    EXPECT_EQ(body.find("\\u"), std::string::npos) << body;
}

TEST(ChatResponse, InvalidUtf8BecomesReplacementCharacter) {
    const std::vector<CompletedChoice> choices = {choice("a\xe4\xbd", 1, FinishReason::Length)};
    std::string body = chat_completion_body(kMeta, choices, usage_of(5, choices), nullptr);
    EXPECT_NE(body.find("a\xef\xbf\xbd"), std::string::npos) << body;
}

TEST(ChatStream, RoleChunkThenPiecesThenFinishThenDone) {
    ChatStream stream(kMeta, 1, false, nullptr);
    std::string frames = stream.piece(0, "Hel", {});
    frames += stream.piece(0, "lo", {});
    frames += stream.finished(0, choice("", 2, FinishReason::Stop).stats);
    frames += stream.closing({5, 2, 0});
    std::vector<nlohmann::json> events = events_of(frames);
    ASSERT_EQ(events.size(), 5u);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(events[i]["object"], "chat.completion.chunk");
        EXPECT_EQ(events[i]["id"], "chatcmpl-abc");
        EXPECT_EQ(events[i]["created"], 1700000000);
        EXPECT_EQ(events[i]["system_fingerprint"], "fp_0123456789");
        EXPECT_FALSE(events[i].contains("usage"));
        EXPECT_EQ(events[i]["choices"][0]["index"], 0);
    }
    EXPECT_EQ(events[0]["choices"][0]["delta"],
              nlohmann::json::parse(R"({"role": "assistant", "content": ""})"));
    EXPECT_TRUE(events[0]["choices"][0]["finish_reason"].is_null());
    EXPECT_EQ(events[1]["choices"][0]["delta"], nlohmann::json::parse(R"({"content": "Hel"})"));
    EXPECT_EQ(events[2]["choices"][0]["delta"], nlohmann::json::parse(R"({"content": "lo"})"));
    EXPECT_EQ(events[3]["choices"][0]["delta"], nlohmann::json::object());
    EXPECT_EQ(events[3]["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(events[4], "[DONE]");
}

TEST(ChatStream, IncludeUsageAddsNullUsageAndAFinalUsageChunk) {
    ChatStream stream(kMeta, 2, true, nullptr);
    std::string frames = stream.piece(1, "b", {});
    frames += stream.finished(0, choice("", 0, FinishReason::Length).stats);  // no text at all
    frames += stream.finished(1, choice("", 1, FinishReason::Stop).stats);
    frames += stream.closing({5, 1, 0});
    std::vector<nlohmann::json> events = events_of(frames);
    ASSERT_EQ(events.size(), 7u);
    EXPECT_EQ(events[0]["choices"][0]["index"], 1);  // role chunk of choice 1
    EXPECT_EQ(events[2]["choices"][0]["index"], 0);  // role chunk of choice 0, then its end
    EXPECT_EQ(events[2]["choices"][0]["delta"]["role"], "assistant");
    EXPECT_EQ(events[3]["choices"][0]["finish_reason"], "length");
    for (size_t i = 0; i < 5; ++i) {
        ASSERT_TRUE(events[i].contains("usage"));
        EXPECT_TRUE(events[i]["usage"].is_null());
    }
    EXPECT_EQ(events[5]["choices"], nlohmann::json::array());
    EXPECT_EQ(events[5]["usage"], nlohmann::json::parse(
                                      R"({"prompt_tokens": 5, "completion_tokens": 1,
                                          "total_tokens": 6,
                                          "prompt_tokens_details": {"cached_tokens": 0}})"));
    EXPECT_EQ(events[6], "[DONE]");
}

TEST(ChatStream, ChinesePiecesStayWhole) {
    ChatStream stream(kMeta, 1, false, nullptr);
    std::vector<nlohmann::json> events = events_of(stream.piece(0, "世界", {}));
    EXPECT_EQ(events[1]["choices"][0]["delta"]["content"], "世界");
}

TEST(ResponseMeta, IdsAreFreshAndFingerprintsStable) {
    ResponseMeta first = new_chat_meta("stories");
    ResponseMeta second = new_chat_meta("stories");
    EXPECT_EQ(first.id.rfind("chatcmpl-", 0), 0u);
    EXPECT_EQ(first.id.size(), 9u + 24u);
    EXPECT_NE(first.id, second.id);
    EXPECT_GT(first.created, 1700000000);
    EXPECT_EQ(first.model, "stories");
    EXPECT_EQ(first.system_fingerprint, system_fingerprint("stories"));
    EXPECT_EQ(first.system_fingerprint.rfind("fp_", 0), 0u);
    EXPECT_EQ(first.system_fingerprint.size(), 13u);
    EXPECT_NE(system_fingerprint("stories"), system_fingerprint("builtin-tiny"));
    EXPECT_EQ(new_completion_meta("stories").id.rfind("cmpl-", 0), 0u);
}

}  // namespace
}  // namespace assistd::api
