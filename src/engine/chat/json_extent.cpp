#include "engine/chat/json_extent.h"

namespace assistd::chat {

JsonExtent json_extent(std::string_view text, size_t start) {
    if (start >= text.size()) return {JsonExtent::State::Incomplete};
    if (text[start] != '{' && text[start] != '[') return {JsonExtent::State::NotJson};
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
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return {JsonExtent::State::Complete, i + 1};
        }
    }
    return {JsonExtent::State::Incomplete};
}

}  // namespace assistd::chat
