#include "engine/chat/tool_call_grammar.h"

#include "engine/grammar/json_schema_grammar.h"

namespace assistd::chat {

namespace {

// The literal text around the calls of one syntax: before all of them, before and after each
// call's arguments (the name goes in between), between calls, after all of them.
struct CallMarkup {
    std::string_view open;
    std::string_view name_prefix;
    std::string_view arguments_prefix;
    std::string_view call_suffix;
    std::string_view separator;
    std::string_view close;
    bool json_name;  // the name is written as a JSON string
};

CallMarkup markup_of(ToolCallSyntax syntax) {
    switch (syntax) {
        case ToolCallSyntax::Hermes:
            return {
                "",  "<tool_call>\n{\"name\": ", ", \"arguments\": ", "}\n</tool_call>", "\n", "",
                true};
        case ToolCallSyntax::Llama3:
            return {"", "{\"name\": ", ", \"parameters\": ", "}", ";", "", true};
        case ToolCallSyntax::Mistral:
            return {"[TOOL_CALLS][", "{\"name\": ", ", \"arguments\": ", "}", ", ", "]", true};
        case ToolCallSyntax::FireFunction:
            return {"functools[", "{\"name\": ", ", \"arguments\": ", "}", ", ", "]", true};
        case ToolCallSyntax::FunctionaryV31:
            return {"", "<function=", ">", "</function>", "", "", false};
        case ToolCallSyntax::FunctionaryV32:
            // The prompt ends in ">>>": the answer starts with the recipient.
            return {"", "", "\n", "", ">>>", "", false};
    }
    return markup_of(ToolCallSyntax::Hermes);
}

}  // namespace

Result<Grammar> tool_call_grammar(ToolCallSyntax syntax, std::span<const ToolSchema> tools,
                                  bool parallel) {
    const CallMarkup markup = markup_of(syntax);
    GrammarBuilder b;
    const int32_t call = b.new_rule();
    for (const ToolSchema& tool : tools) {
        Result<int32_t> arguments = add_json_schema_rule(b, tool.parameters, tool.path);
        if (!arguments) return arguments.error();
        const std::string name = markup.json_name ? nlohmann::json(tool.name).dump() : tool.name;
        GrammarBuilder::Sequence sequence = b.literal(markup.name_prefix);
        sequence += b.literal(name);
        sequence += b.literal(markup.arguments_prefix);
        sequence.push_back(GrammarBuilder::rule(*arguments));
        sequence += b.literal(markup.call_suffix);
        b.alternative(call, std::move(sequence));
    }
    // more: "" or separator call more (right recursion)
    const int32_t more = b.new_rule();
    b.alternative(more, {});
    if (parallel) {
        GrammarBuilder::Sequence another = b.literal(markup.separator);
        another.push_back(GrammarBuilder::rule(call));
        another.push_back(GrammarBuilder::rule(more));
        b.alternative(more, std::move(another));
    }
    GrammarBuilder::Sequence root = b.literal(markup.open);
    root.push_back(GrammarBuilder::rule(call));
    root.push_back(GrammarBuilder::rule(more));
    root += b.literal(markup.close);
    const int32_t start = b.rule_of({std::move(root)});
    return std::move(b).build(start);
}

}  // namespace assistd::chat
