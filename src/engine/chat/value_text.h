// Values as Python writes them: str() for output and the `string` filter, repr() inside printed
// containers, and json.dumps(ensure_ascii=False) for `tojson` — HF replaces jinja2's own tojson
// with exactly that, so no HTML escaping and non-ASCII text passes through byte for byte.
#pragma once

#include <optional>
#include <string>

#include "engine/chat/value.h"

namespace assistd::chat {

std::string python_str(const Value& value);   // what {{ value }} prints; undefined prints ""
std::string python_repr(const Value& value);  // 'text' quoted, lists as ['a', 1]
std::string python_float(double value);       // repr(float): 1.0, 0.1, 1e+20, inf

// json.dumps(value, ensure_ascii=False, indent=indent): separators ", " and ": " without indent,
// "," and ": " with it. Undefined, namespaces and callables fail with a Type error.
std::string to_json_text(const Value& value, std::optional<int> indent);

}  // namespace assistd::chat
