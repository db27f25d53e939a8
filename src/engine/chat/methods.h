// The Python methods templates call on plain data: str.startswith/endswith/split/strip/lstrip/
// rstrip/upper/lower/title/capitalize/replace/find/count, dict.items/keys/values/get.
// Nothing else is reachable: the sandbox has no other attribute to reach.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "engine/chat/value.h"

namespace assistd::chat {

// The method's result, or nothing when `object` has no such method.
std::optional<Value> call_method(const Value& object, std::string_view name,
                                 const CallArguments& args, size_t max_bytes);

// dict.items() as jinja2 iterates it: [key, value] pairs.
ValueList dict_items(const ValueDict& dict);

}  // namespace assistd::chat
