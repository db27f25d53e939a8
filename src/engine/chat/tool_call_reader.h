// Reads a model's output as it is generated and hands back what is decided: text, and tool calls
// parsed whole (scan_tool_calls in tool_call_scanner.h does the splitting). Used alike for a
// streamed answer and, fed once, for a whole one, so both say the same.
//
//   ToolCallReader reader(ToolCallSyntax::Hermes, 8);
//   for (const std::string& piece : pieces) send(reader.read(piece));
//   send(reader.finish());
//
// Whitespace between or around calls is dropped (the newline a model writes between two
// <tool_call> blocks is markup, not an answer); calls past `max_calls` are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/chat/tool_call_scanner.h"

namespace assistd::chat {

class ToolCallReader {
  public:
    ToolCallReader(ToolCallSyntax syntax, int max_calls) : syntax_(syntax), max_calls_(max_calls) {}

    std::vector<OutputPiece> read(std::string_view text);
    std::vector<OutputPiece> finish();  // the output ended

    int calls() const { return calls_; }  // calls handed back so far

  private:
    std::vector<OutputPiece> scan(bool at_end);

    ToolCallSyntax syntax_;
    int max_calls_;
    int calls_ = 0;
    std::string pending_;     // undecided output
    std::string held_space_;  // whitespace-only text, kept until what follows it is known
    bool call_may_start_ = true;
};

}  // namespace assistd::chat
