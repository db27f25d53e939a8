// Answers of requests with tools: the model's tool-call markup becomes OpenAI tool_calls, in a
// whole body and in a stream whose pieces split the markup anywhere.
#include "api/assistant_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/chat_response.h"
#include "api_test_support.h"

namespace assistd::api {
namespace {

using testing::events_of;

const ResponseMeta kMeta{.id = "chatcmpl-abc",
                         .created = 1700000000,
                         .model = "stories",
                         .system_fingerprint = "fp_0123456789"};
const ToolCallReading kHermes{chat::ToolCallSyntax::Hermes, 8};
const std::string kOutput =
    "Checking.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
    "</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";

CompletedChoice choice(std::string text, FinishReason finish) {
    return {std::move(text), {}, testing::stats_of(5, 9, finish)};
}

TEST(AssistantMessage, CallsBecomeToolCallsWithFreshIds) {
    const std::vector<CompletedChoice> choices = {choice(kOutput, FinishReason::Stop)};
    nlohmann::json body = nlohmann::json::parse(
        chat_completion_body(kMeta, choices, usage_of(5, choices), nullptr, kHermes));
    const nlohmann::json& answer = body["choices"][0];
    EXPECT_EQ(answer["finish_reason"], "tool_calls");
    const nlohmann::json& message = answer["message"];
    EXPECT_EQ(message["content"], "Checking.");
    ASSERT_EQ(message["tool_calls"].size(), 2u);
    const nlohmann::json& first = message["tool_calls"][0];
    EXPECT_TRUE(first["id"].get<std::string>().starts_with("call_"));
    EXPECT_NE(first["id"], message["tool_calls"][1]["id"]);
    EXPECT_EQ(first["type"], "function");
    EXPECT_EQ(first["function"],
              nlohmann::json({{"name", "get_weather"}, {"arguments", "{\"city\":\"Paris\"}"}}));
    EXPECT_EQ(message["tool_calls"][1]["function"]["arguments"], "{}");
}

TEST(AssistantMessage, OnlyCallsMeansNullContentAndCutOffCallsStayText) {
    bool called = false;
    nlohmann::json message = assistant_message(
        "<tool_call>{\"name\": \"f\", \"arguments\": {}}</tool_call>", kHermes, called);
    EXPECT_TRUE(called);
    EXPECT_TRUE(message["content"].is_null());

    const std::vector<CompletedChoice> cut = {
        choice("<tool_call>{\"name\": \"f\", \"argu", FinishReason::Length)};
    nlohmann::json body =
        nlohmann::json::parse(chat_completion_body(kMeta, cut, usage_of(5, cut), nullptr, kHermes));
    EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
    EXPECT_EQ(body["choices"][0]["message"]["content"], "<tool_call>{\"name\": \"f\", \"argu");
    EXPECT_FALSE(body["choices"][0]["message"].contains("tool_calls"));

    nlohmann::json plain = assistant_message(kOutput, std::nullopt, called);
    EXPECT_FALSE(called);
    EXPECT_EQ(plain["content"], kOutput);  // no tools to read for (tool_choice none)
}

// The deltas of a stream fed `output` in pieces of `size` bytes, accumulated the way the openai
// client does: content appended, each call's fields by its index.
nlohmann::json accumulate_stream(const std::string& output, size_t size) {
    ChatStream stream(kMeta, 1, false, nullptr, kHermes);
    std::string frames;
    for (size_t at = 0; at < output.size(); at += size) {
        frames += stream.piece(0, output.substr(at, size), {});
    }
    frames += stream.finished(0, choice("", FinishReason::Stop).stats);
    nlohmann::json message = {{"content", ""}, {"tool_calls", nlohmann::json::array()}};
    for (const nlohmann::json& event : events_of(frames)) {
        if (event == "[DONE]") continue;
        const nlohmann::json& delta = event["choices"][0]["delta"];
        if (delta.contains("content")) {
            message["content"] =
                message["content"].get<std::string>() + delta["content"].get<std::string>();
        }
        for (const nlohmann::json& call : delta.value("tool_calls", nlohmann::json::array())) {
            nlohmann::json& calls = message["tool_calls"];
            const size_t index = call["index"];
            if (index == calls.size()) {
                EXPECT_TRUE(call.contains("id"));
                EXPECT_EQ(call["function"]["arguments"], "");
                calls.push_back({{"name", call["function"]["name"]}, {"arguments", ""}});
                continue;
            }
            EXPECT_FALSE(call.contains("id"));
            calls[index]["arguments"] = calls[index]["arguments"].get<std::string>() +
                                        call["function"]["arguments"].get<std::string>();
        }
        if (!event["choices"][0]["finish_reason"].is_null()) {
            message["finish_reason"] = event["choices"][0]["finish_reason"];
        }
    }
    return message;
}

TEST(ChatStreamTools, AnySplitOfTheMarkupStreamsTheSameCalls) {
    const nlohmann::json expected = nlohmann::json::parse(R"({
        "content": "Checking.",
        "tool_calls": [{"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                       {"name": "get_time", "arguments": "{}"}],
        "finish_reason": "tool_calls"})");
    for (size_t size = 1; size <= kOutput.size(); ++size) {
        EXPECT_EQ(accumulate_stream(kOutput, size), expected) << "pieces of " << size;
    }
}

}  // namespace
}  // namespace assistd::api
