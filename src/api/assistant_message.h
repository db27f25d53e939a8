// The assistant's side of a chat answer when the request has tools: the model's output read for
// tool calls (engine/chat/tool_call_reader.h) and written as OpenAI's message, or as the deltas
// of a stream.
//
//   message: {"role": "assistant", "content": null,
//             "tool_calls": [{"id": "call_…", "type": "function",
//                             "function": {"name": "get_weather", "arguments": "{\"city\":…}"}}]}
//   stream:  {"tool_calls": [{"index": 0, "id": "call_…", "type": "function",
//                             "function": {"name": "get_weather", "arguments": ""}}]}
//            {"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":…}"}}]}
//
// finish_reason is "tool_calls" when a choice ended on its own after calling tools.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/chat/tool_call_reader.h"
#include "engine/generate/generator.h"

namespace assistd::api {

// How answers are read for calls; absent when they are plain text (no tools, tool_choice none).
struct ToolCallReading {
    chat::ToolCallSyntax syntax;
    int max_calls;
};

// A finished choice's message; without `reading`, its text as content.
nlohmann::json assistant_message(std::string_view text,
                                 const std::optional<ToolCallReading>& reading, bool& called);

// "call_" and 24 letters and digits; 9 of them for Mistral, whose template checks that length.
std::string new_tool_call_id(chat::ToolCallSyntax syntax);

// The delta that opens call number `index` of a choice, and the one carrying its arguments.
nlohmann::json tool_call_start_delta(int index, const chat::ParsedToolCall& call,
                                     chat::ToolCallSyntax syntax);
nlohmann::json tool_call_arguments_delta(int index, const chat::ParsedToolCall& call);

std::string chat_finish_reason(const GenerationStats& stats, bool called);

}  // namespace assistd::api
