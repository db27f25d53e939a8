// The tools of a /v1/chat/completions request: the functions the model may call, whether and
// which one it must call (tool_choice), and whether it may call several at once.
//
//   "tools": [{"type": "function", "function": {"name": "get_weather", "description": "...",
//              "parameters": {JSON Schema}, "strict": true}}],
//   "tool_choice": "auto" | "none" | "required" | {"type": "function", "function": {"name": ...}},
//   "parallel_tool_calls": true
//
// Schemas the server will hold the output to (strict tools, and every tool tool_choice forces)
// are compiled here, so an unsupported schema feature is a 400 naming it, as for response_format.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api_result.h"
#include "api/json_fields.h"
#include "engine/chat/tool_call_syntax.h"
#include "engine/grammar/grammar.h"

namespace assistd::api {

enum class ToolChoice {
    Auto,      // the model decides; its calls are parsed from what it writes
    None,      // the model sees the tools but its output is text, never parsed into calls
    Required,  // decoding is held to one or more calls of any of the tools
    Named,     // decoding is held to one call of `forced_name`
};

struct ToolFunction {
    std::string name;
    nlohmann::json parameters;  // JSON Schema; {"type": "object"} when the request gave none
    bool strict = false;
};

struct ChatTools {
    std::vector<ToolFunction> functions;
    // The tools array as the client wrote it, keys in its order, for the chat template.
    nlohmann::ordered_json definitions;
    ToolChoice choice = ToolChoice::Auto;
    std::string forced_name;  // with ToolChoice::Named
    bool parallel = true;     // parallel_tool_calls

    // Whether the model's output is read for calls.
    bool parsed() const { return !functions.empty() && choice != ToolChoice::None; }
    // Whether decoding is held to the tool-call grammar.
    bool forced() const { return choice == ToolChoice::Required || choice == ToolChoice::Named; }
    int max_calls() const { return parallel ? kMaxCalls : 1; }

    static constexpr int kMaxCalls = 128;
};

// The "function" object of a {"type": "function", "function": {...}} entry — a tool, or a call
// of one in an assistant message; nullptr, with the problem recorded in `fields`, when the type is
// not "function" or the object is missing. `kind` names the accepted entries in the message
// ("function tools", "function calls").
const nlohmann::json* function_entry(JsonFields& fields, std::string_view kind);

// Reads tools, tool_choice and parallel_tool_calls; `ordered_body` is the request body parsed
// keeping key order (for `definitions`). Problems are left in fields.error().
void read_chat_tools(JsonFields& fields, const nlohmann::ordered_json& ordered_body,
                     ChatTools& tools);

// The grammar a forced tool_choice holds decoding to, in the model's syntax; null when the
// choice forces nothing.
ApiResult<std::shared_ptr<const Grammar>> forced_tool_grammar(const ChatTools& tools,
                                                              chat::ToolCallSyntax syntax);

}  // namespace assistd::api
