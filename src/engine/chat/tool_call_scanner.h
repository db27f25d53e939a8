// Splits a model's output into plain text and tool calls, in the model's tool-call syntax, as far
// as the text seen so far decides it. Text that may still turn into a call (a partial
// "<tool_call", an unfinished JSON body) is left undecided until more arrives or the output ends.
//
//   ToolCallScan scan = scan_tool_calls(ToolCallSyntax::Hermes, "Hi <tool_ca", true, false);
//   // scan.pieces == {"Hi "}, scan.consumed == 3: "<tool_ca" waits for the next piece
//
// Markup whose body is not a call (not JSON, no "name", arguments not an object) stays text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/chat/tool_call_syntax.h"

namespace assistd::chat {

struct ParsedToolCall {
    std::string name;
    std::string arguments;  // a JSON object, compact

    bool operator==(const ParsedToolCall&) const = default;
};

using OutputPiece = std::variant<std::string, ParsedToolCall>;  // text or a call

struct ToolCallScan {
    std::vector<OutputPiece> pieces;  // decided, in order
    size_t consumed = 0;              // bytes of the text they cover
    // Whether a call may begin right after `consumed`, for syntaxes whose calls can only open the
    // answer (Llama3) or a ">>>" block (FunctionaryV32); pass it back as `call_may_start`.
    bool call_may_start = true;
};

// `call_may_start`: the text begins where a call may begin (true at the start of the output).
// `at_end`: the output is finished, so everything is decided.
ToolCallScan scan_tool_calls(ToolCallSyntax syntax, std::string_view text, bool call_may_start,
                             bool at_end);

}  // namespace assistd::chat
