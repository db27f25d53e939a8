// How a model writes a tool call, known from its chat template: the markup it was trained to
// produce around the call's JSON.
//
//   Hermes          <tool_call>{"name": "f", "arguments": {...}}</tool_call>   (Hermes, Qwen 2.5)
//   Llama3          {"name": "f", "parameters": {...}} at the start of the answer, optionally
//                   after <|python_tag|>; several separated by ';'            (Llama 3.1–3.3)
//   Mistral         [TOOL_CALLS][{"name": "f", "arguments": {...}}, ...]        (Mistral Nemo)
//   FireFunction    functools[{"name": "f", "arguments": {...}}, ...]          (firefunction-v2)
//   FunctionaryV31  <function=f>{...}</function>                               (functionary v3.1)
//   FunctionaryV32  f\n{...} after the prompt's ">>>", blocks separated by ">>>"; the recipient
//                   "all" marks plain text                                      (functionary v3.2)
#pragma once

#include <string_view>

namespace assistd::chat {

enum class ToolCallSyntax { Hermes, Llama3, Mistral, FireFunction, FunctionaryV31, FunctionaryV32 };

// Recognized by the markup the template writes for past tool calls. A template that shows none
// (plain ChatML and the like) gets Hermes, the markup most open models are tuned on.
ToolCallSyntax tool_call_syntax_for(std::string_view chat_template);

std::string_view tool_call_syntax_name(ToolCallSyntax syntax);  // "hermes", "llama3", ...

}  // namespace assistd::chat
