// jinja2's tests (`x is defined`, `x is string`, ...), called predicates here to keep them apart
// from unit tests. An unknown name is a Type error naming it, as jinja2 refuses it.
#pragma once

#include <string_view>

#include "engine/chat/value.h"

namespace assistd::chat {

bool apply_predicate(std::string_view name, const Value& operand, const CallArguments& args);

}  // namespace assistd::chat
