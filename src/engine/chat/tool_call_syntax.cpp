#include "engine/chat/tool_call_syntax.h"

namespace assistd::chat {

ToolCallSyntax tool_call_syntax_for(std::string_view chat_template) {
    const auto has = [chat_template](std::string_view markup) {
        return chat_template.find(markup) != std::string_view::npos;
    };
    if (has("<tool_call>")) return ToolCallSyntax::Hermes;
    if (has("[TOOL_CALLS]")) return ToolCallSyntax::Mistral;
    if (has("functools[")) return ToolCallSyntax::FireFunction;
    if (has("<function=")) return ToolCallSyntax::FunctionaryV31;
    if (has(">>>all")) return ToolCallSyntax::FunctionaryV32;
    if (has("<|start_header_id|>")) return ToolCallSyntax::Llama3;
    return ToolCallSyntax::Hermes;
}

std::string_view tool_call_syntax_name(ToolCallSyntax syntax) {
    switch (syntax) {
        case ToolCallSyntax::Hermes:
            return "hermes";
        case ToolCallSyntax::Llama3:
            return "llama3";
        case ToolCallSyntax::Mistral:
            return "mistral";
        case ToolCallSyntax::FireFunction:
            return "firefunction";
        case ToolCallSyntax::FunctionaryV31:
            return "functionary-v3.1";
        case ToolCallSyntax::FunctionaryV32:
            return "functionary-v3.2";
    }
    return "hermes";
}

}  // namespace assistd::chat
