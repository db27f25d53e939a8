#include "engine/chat/json_extent.h"

namespace assistd::chat {

namespace {

// Walks the brackets of `text` from `start` outside strings, calling `step(i, depth)` after each
// bracket; stops early when step returns true.
template <typename Step>
void walk_brackets(std::string_view text, size_t start, Step step) {
    size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (size_t i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (step(i, ++depth)) return;
        } else if ((c == '}' || c == ']') && depth > 0) {
            if (step(i, --depth)) return;
        }
    }
}

}  // namespace

JsonExtent json_extent(std::string_view text, size_t start) {
    if (start >= text.size()) return {JsonExtent::State::Incomplete};
    if (text[start] != '{' && text[start] != '[') return {JsonExtent::State::NotJson};
    JsonExtent extent{JsonExtent::State::Incomplete};
    walk_brackets(text, start, [&extent](size_t i, size_t depth) {
        if (depth != 0) return false;
        extent = {JsonExtent::State::Complete, i + 1};
        return true;
    });
    return extent;
}

bool json_nests_deeper_than(std::string_view text, size_t limit) {
    bool deeper = false;
    walk_brackets(text, 0, [&deeper, limit](size_t, size_t depth) {
        deeper = depth > limit;
        return deeper;
    });
    return deeper;
}

}  // namespace assistd::chat
