// Forced tool calls: the grammar of each syntax takes the model's markup around valid arguments,
// refuses invalid ones, and what it takes reads back as the same calls.
#include "engine/chat/tool_call_grammar.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/chat/tool_call_reader.h"
#include "engine/grammar/grammar_matcher.h"

namespace assistd::chat {
namespace {

const nlohmann::json kWeather = nlohmann::json::parse(R"({
    "type": "object",
    "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
    "required": ["city"], "additionalProperties": false})");
const nlohmann::json kTime = nlohmann::json::parse(R"({
    "type": "object", "properties": {"zone": {"enum": ["UTC", "CET"]}},
    "required": ["zone"], "additionalProperties": false})");

std::shared_ptr<const Grammar> grammar_of(ToolCallSyntax syntax, bool parallel) {
    const std::vector<ToolSchema> tools = {{"get_weather", kWeather, "weather"},
                                           {"get_time", kTime, "time"}};
    Result<Grammar> grammar = tool_call_grammar(syntax, tools, parallel);
    EXPECT_TRUE(grammar.ok()) << grammar.error().message;
    return std::make_shared<const Grammar>(std::move(*grammar));
}

bool takes_whole(const std::shared_ptr<const Grammar>& grammar, std::string_view text) {
    GrammarMatcher matcher(grammar);
    return matcher.accept(text) && matcher.complete();
}

std::vector<OutputPiece> read_back(ToolCallSyntax syntax, std::string_view text) {
    ToolCallReader reader(syntax, 8);
    std::vector<OutputPiece> pieces = reader.read(text);
    std::vector<OutputPiece> rest = reader.finish();
    pieces.insert(pieces.end(), rest.begin(), rest.end());
    return pieces;
}

struct Sentence {
    ToolCallSyntax syntax;
    std::string one_call;   // get_weather {"city": "Oslo"}
    std::string two_calls;  // that, then get_time {"zone": "UTC"}
};

class ToolCallGrammarSentences : public ::testing::TestWithParam<Sentence> {};

TEST_P(ToolCallGrammarSentences, TakeTheSyntaxAndReadBack) {
    const Sentence& s = GetParam();
    const std::vector<OutputPiece> oslo = {ParsedToolCall{"get_weather", R"({"city":"Oslo"})"}};
    std::vector<OutputPiece> both = oslo;
    both.emplace_back(ParsedToolCall{"get_time", R"({"zone":"UTC"})"});

    const auto single = grammar_of(s.syntax, false);
    EXPECT_TRUE(takes_whole(single, s.one_call)) << s.one_call;
    EXPECT_FALSE(takes_whole(single, s.two_calls)) << "parallel off: " << s.two_calls;
    EXPECT_EQ(read_back(s.syntax, s.one_call), oslo);

    const auto parallel = grammar_of(s.syntax, true);
    EXPECT_TRUE(takes_whole(parallel, s.one_call));
    EXPECT_TRUE(takes_whole(parallel, s.two_calls)) << s.two_calls;
    EXPECT_EQ(read_back(s.syntax, s.two_calls), both);
}

INSTANTIATE_TEST_SUITE_P(
    Syntaxes, ToolCallGrammarSentences,
    ::testing::Values(
        Sentence{ToolCallSyntax::Hermes,
                 "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n"
                 "</tool_call>",
                 "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n"
                 "</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": "
                 "{\"zone\": \"UTC\"}}\n</tool_call>"},
        Sentence{ToolCallSyntax::Llama3,
                 "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}",
                 "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}};{\"name\": "
                 "\"get_time\", \"parameters\": {\"zone\": \"UTC\"}}"},
        Sentence{ToolCallSyntax::Mistral,
                 "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]",
                 "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}, "
                 "{\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}]"},
        Sentence{ToolCallSyntax::FireFunction,
                 "functools[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]",
                 "functools[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}, "
                 "{\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}]"},
        Sentence{ToolCallSyntax::FunctionaryV31,
                 "<function=get_weather>{\"city\": \"Oslo\"}</function>",
                 "<function=get_weather>{\"city\": \"Oslo\"}</function><function=get_time>"
                 "{\"zone\": \"UTC\"}</function>"},
        Sentence{ToolCallSyntax::FunctionaryV32, "get_weather\n{\"city\": \"Oslo\"}",
                 "get_weather\n{\"city\": \"Oslo\"}>>>get_time\n{\"zone\": \"UTC\"}"}));

TEST(ToolCallGrammar, ArgumentsMustValidate) {
    const auto grammar = grammar_of(ToolCallSyntax::Hermes, false);
    const std::string head = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": ";
    EXPECT_TRUE(takes_whole(grammar, head + "{\"city\": \"a\", \"days\": 3}}\n</tool_call>"));
    EXPECT_FALSE(takes_whole(grammar, head + "{\"days\": 3}}\n</tool_call>"));  // city required
    EXPECT_FALSE(takes_whole(grammar, head + "{\"city\": 1}}\n</tool_call>"));
    EXPECT_FALSE(takes_whole(grammar,
                             "<tool_call>\n{\"name\": \"rm_rf\", \"arguments\": {}}\n"
                             "</tool_call>"));
    EXPECT_FALSE(takes_whole(grammar, "Sure! " + head + "{\"city\": \"a\"}}\n</tool_call>"));
}

TEST(ToolCallGrammar, UnsupportedSchemaIsNamed) {
    const std::vector<ToolSchema> tools = {
        {"f", nlohmann::json::parse(R"({"type": "string", "format": "email"})"),
         "tools[0].function.parameters"}};
    Result<Grammar> grammar = tool_call_grammar(ToolCallSyntax::Hermes, tools, false);
    ASSERT_FALSE(grammar.ok());
    EXPECT_NE(grammar.error().message.find("tools[0].function.parameters"), std::string::npos);
    EXPECT_NE(grammar.error().message.find("'format'"), std::string::npos);
}

}  // namespace
}  // namespace assistd::chat
