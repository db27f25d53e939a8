// tools, tool_choice, parallel_tool_calls and tool messages on /v1/chat/completions: what is
// accepted, what each refusal names, and the grammar a forced choice gets.
#include "api/chat_request.h"

#include <gtest/gtest.h>

#include "api_test_support.h"
#include "engine/grammar/grammar_matcher.h"

namespace assistd::api {
namespace {

using testing::kLimits;

const std::string kTools = R"("tools": [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather now",
     "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                    "required": ["city"]}, "strict": true}},
    {"type": "function", "function": {"name": "get_time"}}])";

std::string body_with(const std::string& fields) {
    return R"({"model": "stories", "messages": [{"role": "user", "content": "Hi"}], )" + fields +
           "}";
}

ChatRequest parse_ok(const std::string& body) {
    ApiResult<ChatRequest> request = parse_chat_request(body, kLimits);
    EXPECT_TRUE(request.ok()) << body << " → " << request.error().message;
    return request ? *request : ChatRequest{};
}

TEST(ChatTools, ToolsAndChoicesAreRead) {
    ChatRequest request = parse_ok(body_with(kTools));
    const ChatTools& tools = request.tools;
    ASSERT_EQ(tools.functions.size(), 2u);
    EXPECT_EQ(tools.functions[0].name, "get_weather");
    EXPECT_TRUE(tools.functions[0].strict);
    EXPECT_EQ(tools.functions[1].parameters, nlohmann::json({{"type", "object"}}));
    EXPECT_EQ(tools.choice, ToolChoice::Auto);
    EXPECT_TRUE(tools.parsed());
    EXPECT_FALSE(tools.forced());
    EXPECT_EQ(tools.max_calls(), ChatTools::kMaxCalls);
    // The template gets the definitions with the client's key order, not sorted.
    EXPECT_EQ(tools.definitions[0]["function"].begin().key(), "name");

    EXPECT_EQ(parse_ok(body_with(kTools + R"(, "tool_choice": "none")")).tools.choice,
              ToolChoice::None);
    EXPECT_FALSE(parse_ok(body_with(kTools + R"(, "tool_choice": "none")")).tools.parsed());
    EXPECT_EQ(parse_ok(body_with(kTools + R"(, "tool_choice": "required")")).tools.choice,
              ToolChoice::Required);
    ChatRequest named = parse_ok(body_with(
        kTools + R"(, "tool_choice": {"type": "function", "function": {"name": "get_time"}},
                     "parallel_tool_calls": false)"));
    EXPECT_EQ(named.tools.choice, ToolChoice::Named);
    EXPECT_EQ(named.tools.forced_name, "get_time");
    EXPECT_EQ(named.tools.max_calls(), 1);
}

TEST(ChatTools, ToolConversationsAreRead) {
    ChatRequest request = parse_ok(R"({"model": "stories", "messages": [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "21 C"}], )" +
                                   kTools + "}");
    ASSERT_EQ(request.messages.size(), 3u);
    const ChatMessage& call = request.messages[1];
    EXPECT_TRUE(call.null_content);
    EXPECT_EQ(call.tool_calls,
              (std::vector<ChatToolCall>{{"call_1", "get_weather", "{\"city\": \"Paris\"}"}}));
    const ChatMessage& result = request.messages[2];
    EXPECT_EQ(result.role, ChatRole::Tool);
    EXPECT_EQ(result.tool_call_id, "call_1");
    EXPECT_EQ(result.name, "get_weather");  // from the call it answers
    EXPECT_EQ(result.content, "21 C");
}

TEST(ChatTools, ForcedChoiceGrammarTakesOnlyThatCall) {
    ChatRequest request = parse_ok(body_with(
        kTools + R"(, "tool_choice": {"type": "function", "function": {"name": "get_weather"}})"));
    ApiResult<std::shared_ptr<const Grammar>> grammar =
        forced_tool_grammar(request.tools, chat::ToolCallSyntax::Hermes);
    ASSERT_TRUE(grammar.ok());
    ASSERT_NE(*grammar, nullptr);
    GrammarMatcher matcher(*grammar);
    EXPECT_FALSE(matcher.can_accept("<tool_call>\n{\"name\": \"get_time\""));
    EXPECT_TRUE(
        matcher.accept("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": "
                       "\"x\"}}\n</tool_call>"));
    EXPECT_TRUE(matcher.complete());

    ChatRequest free = parse_ok(body_with(kTools));
    ApiResult<std::shared_ptr<const Grammar>> none =
        forced_tool_grammar(free.tools, chat::ToolCallSyntax::Hermes);
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, nullptr);
}

struct BadTools {
    std::string body;
    std::string param;
};

class ChatToolsRefuse : public ::testing::TestWithParam<BadTools> {};

TEST_P(ChatToolsRefuse, NamingTheField) {
    ApiResult<ChatRequest> request = parse_chat_request(GetParam().body, kLimits);
    ASSERT_FALSE(request.ok()) << GetParam().body;
    EXPECT_EQ(request.error().status, 400);
    EXPECT_EQ(request.error().param, GetParam().param) << request.error().message;
    EXPECT_NE(request.error().message.find(GetParam().param), std::string::npos)
        << request.error().message;
}

const std::string kCallTurn = R"({"role": "assistant", "content": "", "tool_calls": [
    {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]})";

INSTANTIATE_TEST_SUITE_P(
    Fields, ChatToolsRefuse,
    ::testing::Values(
        BadTools{body_with(R"("tools": {})"), "tools"},
        BadTools{body_with(R"("tools": [{"type": "retrieval"}])"), "tools[0].type"},
        BadTools{body_with(R"("tools": [{"type": "function"}])"), "tools[0].function"},
        BadTools{body_with(R"("tools": [{"type": "function", "function": {}}])"),
                 "tools[0].function.name"},
        BadTools{body_with(R"("tools": [{"type": "function", "function": {"name": "a b"}}])"),
                 "tools[0].function.name"},
        BadTools{body_with(R"("tools": [{"type": "function", "function": {"name": "f"}},
                                        {"type": "function", "function": {"name": "f"}}])"),
                 "tools[1].function.name"},
        BadTools{body_with(R"("tools": [{"type": "function", "function": {"name": "f",
                    "parameters": []}}])"),
                 "tools[0].function.parameters"},
        BadTools{body_with(R"("tools": [{"type": "function", "function": {"name": "f",
                    "parameters": {"type": "string", "format": "email"}, "strict": true}}])"),
                 "tools[0].function.parameters"},
        BadTools{body_with(kTools + R"(, "tool_choice": "sometimes")"), "tool_choice"},
        BadTools{body_with(R"("tool_choice": "required")"), "tool_choice"},
        BadTools{body_with(kTools + R"(, "tool_choice": {"type": "function",
                    "function": {"name": "rm_rf"}})"),
                 "tool_choice.function.name"},
        BadTools{body_with(kTools + R"(, "parallel_tool_calls": "yes")"), "parallel_tool_calls"},
        BadTools{body_with(kTools + R"(, "tool_choice": "required",
                    "response_format": {"type": "json_object"})"),
                 "tool_choice"},
        BadTools{R"({"model": "stories", "messages": [{"role": "tool", "content": "x",
                    "tool_call_id": "call_1"}]})",
                 "messages[0].tool_call_id"},
        BadTools{R"({"model": "stories", "messages": [)" + kCallTurn +
                     R"(, {"role": "tool", "content": "x", "tool_call_id": "call_2"}]})",
                 "messages[1].tool_call_id"},
        BadTools{R"({"model": "stories", "messages": [)" + kCallTurn +
                     R"(, {"role": "tool", "content": "x"}]})",
                 "messages[1].tool_call_id"},
        BadTools{R"({"model": "stories", "messages": [{"role": "user", "content": "x",
                    "tool_call_id": "call_1"}]})",
                 "messages[0].tool_call_id"},
        BadTools{R"({"model": "stories", "messages": [{"role": "user", "content": "x",
                    "tool_calls": []}]})",
                 "messages[0].tool_calls"},
        BadTools{R"({"model": "stories", "messages": [{"role": "assistant", "tool_calls": [
                    {"id": "c", "type": "function", "function": {"name": "f",
                     "arguments": {}}}]}]})",
                 "messages[0].tool_calls[0].function.arguments"},
        BadTools{R"({"model": "stories", "messages": [{"role": "assistant", "content": null}]})",
                 "messages[0].content"}));

}  // namespace
}  // namespace assistd::api
