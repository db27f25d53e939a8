// The grammar of a forced tool call (tool_choice "required" or a named function): the model's own
// tool-call markup around JSON arguments that validate against the tool's parameters schema, so a
// constrained sampler can only write a call the scanner reads back and the client can run.
//
//   std::vector<ToolSchema> tools = {{"get_weather", parameters}};
//   Result<Grammar> grammar = tool_call_grammar(ToolCallSyntax::Hermes, tools, false);
//   // sentences: <tool_call>\n{"name": "get_weather", "arguments": {...}}\n</tool_call>
//
// Several tools: each call is any one of them. `parallel`: one or more calls, in the syntax's
// separator (Llama3: ';').
#pragma once

#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "engine/chat/tool_call_syntax.h"
#include "engine/grammar/grammar.h"

namespace assistd::chat {

struct ToolSchema {
    std::string name;
    nlohmann::json parameters;  // a JSON Schema
    std::string path;           // names the schema in errors, e.g. "tools[0].function.parameters"
};

// An Error names the schema feature the grammar compiler does not support (json_schema_grammar.h).
Result<Grammar> tool_call_grammar(ToolCallSyntax syntax, std::span<const ToolSchema> tools,
                                  bool parallel);

}  // namespace assistd::chat
