// jinja2's filters as HF templates use them (`value | name(args)`): trim, tojson (HF's
// json.dumps version), length/count, upper, lower, capitalize, title, replace, join, first, last,
// items, list, unique, selectattr/rejectattr, select/reject, map, default/d, string, int, float,
// safe, indent, wordcount, abs, reverse, min, max, sum, dictsort, sort.
// An unknown name is a Type error naming it.
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/chat/value.h"

namespace assistd::chat {

Value apply_filter(std::string_view name, const Value& operand, const CallArguments& args,
                   size_t max_bytes);

}  // namespace assistd::chat
