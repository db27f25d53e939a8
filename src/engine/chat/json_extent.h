// Where a JSON object or array that starts in a text ends, found without parsing it: how a
// tool-call parser tells a call still being written from a finished one or from plain text.
#pragma once

#include <cstddef>
#include <string_view>

namespace assistd::chat {

struct JsonExtent {
    enum class State {
        Complete,    // text[start, end) is balanced: a candidate for a real parse
        Incomplete,  // the text ends inside it: more may come
        NotJson,     // text[start] does not open an object or array
    };
    State state;
    size_t end = 0;
};

// Brackets are counted outside strings (escapes honoured); what lies between is not checked.
JsonExtent json_extent(std::string_view text, size_t start);

// Whether brackets in `text` (outside strings) nest deeper than `limit`: checked before a parse
// whose value would be walked recursively (dump), so hostile output cannot exhaust the stack.
bool json_nests_deeper_than(std::string_view text, size_t limit);

}  // namespace assistd::chat
