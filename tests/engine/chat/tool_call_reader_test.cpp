// The tool-call reader on each syntax: whole outputs, and the same outputs cut into two pieces at
// every byte, which must read exactly like the whole (what a stream split across tokens sees).
#include "engine/chat/tool_call_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace assistd::chat {
namespace {

using Pieces = std::vector<OutputPiece>;

ParsedToolCall weather(std::string city) {
    return {"get_weather", "{\"city\":\"" + city + "\"}"};
}

// Adjacent text pieces joined: how the pieces were split does not matter, their sense does.
Pieces merged(const Pieces& pieces) {
    Pieces out;
    for (const OutputPiece& piece : pieces) {
        const auto* text = std::get_if<std::string>(&piece);
        auto* last = out.empty() ? nullptr : std::get_if<std::string>(&out.back());
        if (text != nullptr && last != nullptr) {
            *last += *text;
        } else {
            out.push_back(piece);
        }
    }
    return out;
}

Pieces read_in_parts(ToolCallSyntax syntax, const std::vector<std::string>& parts,
                     int max_calls = 8) {
    ToolCallReader reader(syntax, max_calls);
    Pieces all;
    for (const std::string& part : parts) {
        Pieces pieces = reader.read(part);
        all.insert(all.end(), pieces.begin(), pieces.end());
    }
    Pieces rest = reader.finish();
    all.insert(all.end(), rest.begin(), rest.end());
    return merged(all);
}

Pieces read_whole(ToolCallSyntax syntax, const std::string& text, int max_calls = 8) {
    return read_in_parts(syntax, {text}, max_calls);
}

void expect_same_at_every_cut(ToolCallSyntax syntax, const std::string& text) {
    const Pieces whole = read_whole(syntax, text);
    for (size_t cut = 0; cut <= text.size(); ++cut) {
        EXPECT_EQ(read_in_parts(syntax, {text.substr(0, cut), text.substr(cut)}), whole)
            << tool_call_syntax_name(syntax) << " cut at " << cut << " of: " << text;
    }
    std::vector<std::string> bytes;
    for (char c : text) bytes.emplace_back(1, c);
    EXPECT_EQ(read_in_parts(syntax, bytes), whole) << "byte by byte: " << text;
}

struct Case {
    ToolCallSyntax syntax;
    std::string output;
    Pieces expected;
};

class ToolCallReaderCases : public ::testing::TestWithParam<Case> {};

TEST_P(ToolCallReaderCases, ReadWholeAndCutAtEveryByte) {
    const Case& c = GetParam();
    EXPECT_EQ(read_whole(c.syntax, c.output), c.expected) << c.output;
    expect_same_at_every_cut(c.syntax, c.output);
}

const std::string kArgs = R"({"city": "Paris"})";

INSTANTIATE_TEST_SUITE_P(
    Syntaxes, ToolCallReaderCases,
    ::testing::Values(
        // Hermes / Qwen
        Case{ToolCallSyntax::Hermes,
             "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": " + kArgs + "}\n</tool_call>",
             {weather("Paris")}},
        Case{ToolCallSyntax::Hermes,
             "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": " + kArgs +
                 "}\n</tool_call>\n<tool_call>{\"name\": \"get_weather\", \"arguments\": "
                 "{\"city\": \"北京\"}}</tool_call>\n",
             {std::string("Let me check."), weather("Paris"), weather("北京")}},
        Case{ToolCallSyntax::Hermes,
             "<tool_call>{\"name\": \"get_weather\", \"arguments\": " + kArgs + "}",
             {weather("Paris")}},  // the closing tag may be cut off by the end of the output
        Case{ToolCallSyntax::Hermes,
             "a < b and <tool_call>not json</tool_call> done",
             {std::string("a < b and <tool_call>not json</tool_call> done")}},
        Case{ToolCallSyntax::Hermes,
             "<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>",
             {std::string("<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>")}},
        Case{ToolCallSyntax::Hermes, "<tool_c", {std::string("<tool_c")}},
        Case{ToolCallSyntax::Hermes, "  plain  ", {std::string("  plain  ")}},
        // Llama 3.x
        Case{ToolCallSyntax::Llama3,
             "{\"name\": \"get_weather\", \"parameters\": " + kArgs + "}",
             {weather("Paris")}},
        Case{ToolCallSyntax::Llama3,
             "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": " + kArgs +
                 "}; {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}",
             {weather("Paris"), weather("Oslo")}},
        Case{ToolCallSyntax::Llama3,
             "It is {\"name\": \"x\"} later",
             {std::string("It is {\"name\": \"x\"} later")}},
        Case{ToolCallSyntax::Llama3, "{\"answer\": 42}", {std::string("{\"answer\": 42}")}},
        Case{ToolCallSyntax::Llama3,
             "{\"name\": \"get_weather\", \"parameters\": {\"ci",
             {std::string("{\"name\": \"get_weather\", \"parameters\": {\"ci")}},
        // Mistral and firefunction
        Case{ToolCallSyntax::Mistral,
             "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": " + kArgs +
                 "}, {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Rome\\\"}\"}]",
             {weather("Paris"), weather("Rome")}},
        Case{ToolCallSyntax::Mistral,
             "Sure. [TOOL_CALLS] nope",
             {std::string("Sure. [TOOL_CALLS] nope")}},
        Case{ToolCallSyntax::FireFunction,
             " functools[{\"name\": \"get_weather\", \"arguments\": " + kArgs + "}]",
             {weather("Paris")}},
        // functionary
        Case{ToolCallSyntax::FunctionaryV31,
             "<function=get_weather>" + kArgs + "</function><function=get_weather>" +
                 "{\"city\": \"Rome\"}",
             {weather("Paris"), weather("Rome")}},
        Case{ToolCallSyntax::FunctionaryV31,
             "x <function=bad name>{}</function>",
             {std::string("x <function=bad name>{}</function>")}},
        Case{ToolCallSyntax::FunctionaryV32, "get_weather\n" + kArgs, {weather("Paris")}},
        Case{ToolCallSyntax::FunctionaryV32,
             "all\nChecking >> now.>>>get_weather\n" + kArgs +
                 ">>>get_weather\n{\"city\": \"Rome\"}",
             {std::string("Checking >> now."), weather("Paris"), weather("Rome")}},
        Case{ToolCallSyntax::FunctionaryV32,
             "Hello there, no recipient",
             {std::string("Hello there, no recipient")}}));

TEST(ToolCallReader, ParallelOffKeepsOnlyTheFirstCall) {
    const std::string two = "<tool_call>{\"name\": \"get_weather\", \"arguments\": " + kArgs +
                            "}</tool_call><tool_call>{\"name\": \"get_weather\", \"arguments\": "
                            "{\"city\": \"Rome\"}}</tool_call>";
    EXPECT_EQ(read_whole(ToolCallSyntax::Hermes, two, 1), Pieces{weather("Paris")});
}

TEST(ToolCallReader, DeeplyNestedArgumentsStayText) {
    const std::string deep =
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": " + std::string(100, '[') +
        std::string(100, ']') + "}}</tool_call>";
    EXPECT_EQ(read_whole(ToolCallSyntax::Hermes, deep), Pieces{deep});
    const std::string shallow =
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": [[1]]}}"
        "</tool_call>";
    EXPECT_EQ(read_whole(ToolCallSyntax::Hermes, shallow),
              (Pieces{ParsedToolCall{"f", "{\"a\":[[1]]}"}}));
}

TEST(ToolCallReader, TextIsHeldOnlyWhileItMayBecomeACall) {
    ToolCallReader reader(ToolCallSyntax::Hermes, 8);
    EXPECT_EQ(reader.read("Hello <tool"), Pieces{std::string("Hello")});  // the space waits too
    EXPECT_EQ(reader.read("box> and"), Pieces{std::string(" <toolbox> and")});
    EXPECT_EQ(reader.read(" <tool_call>{\"name\""), Pieces{});
    EXPECT_EQ(reader.read(": \"f\"}</tool_call>"), (Pieces{ParsedToolCall{"f", "{}"}}));
    EXPECT_EQ(reader.calls(), 1);
    EXPECT_EQ(reader.finish(), Pieces{});
}

TEST(ToolCallSyntax, ComesFromTheTemplatesMarkup) {
    EXPECT_EQ(tool_call_syntax_for("{{ '<tool_call>\\n' }}"), ToolCallSyntax::Hermes);
    EXPECT_EQ(tool_call_syntax_for("{{ '[TOOL_CALLS]' }}"), ToolCallSyntax::Mistral);
    EXPECT_EQ(tool_call_syntax_for("<|start_header_id|> functools["), ToolCallSyntax::FireFunction);
    EXPECT_EQ(tool_call_syntax_for("<function="), ToolCallSyntax::FunctionaryV31);
    EXPECT_EQ(tool_call_syntax_for("'>>>all\\n'"), ToolCallSyntax::FunctionaryV32);
    EXPECT_EQ(tool_call_syntax_for("<|start_header_id|>"), ToolCallSyntax::Llama3);
    EXPECT_EQ(tool_call_syntax_for("<|im_start|>"), ToolCallSyntax::Hermes);
}

}  // namespace
}  // namespace assistd::chat
