#include "engine/chat/tool_call_reader.h"

namespace assistd::chat {

namespace {

constexpr const char* kSpace = " \t\r\n";

}  // namespace

std::vector<OutputPiece> ToolCallReader::read(std::string_view text) {
    pending_.append(text);
    return scan(false);
}

std::vector<OutputPiece> ToolCallReader::finish() {
    std::vector<OutputPiece> pieces = scan(true);
    if (calls_ == 0 && !held_space_.empty()) pieces.emplace_back(std::move(held_space_));
    held_space_.clear();
    return pieces;
}

std::vector<OutputPiece> ToolCallReader::scan(bool at_end) {
    ToolCallScan scan = scan_tool_calls(syntax_, pending_, call_may_start_, at_end);
    pending_.erase(0, scan.consumed);
    call_may_start_ = scan.call_may_start;
    std::vector<OutputPiece> pieces;
    for (OutputPiece& piece : scan.pieces) {
        if (auto* text = std::get_if<std::string>(&piece)) {
            // Trailing whitespace waits: it is dropped if a call comes next.
            const size_t last = text->find_last_not_of(kSpace);
            if (last == std::string::npos) {
                held_space_ += *text;
                continue;
            }
            pieces.emplace_back(held_space_ + text->substr(0, last + 1));
            held_space_ = text->substr(last + 1);
            continue;
        }
        held_space_.clear();
        if (calls_ >= max_calls_) continue;
        ++calls_;
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

}  // namespace assistd::chat
