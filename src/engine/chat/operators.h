// jinja2's operators on values, with Python's semantics and jinja2's undefined rules: arithmetic
// and ordering on an undefined value raise its message, `~` prints it as "", == compares it false.
// Results that would be larger than `max_bytes` (a string or list being multiplied or joined)
// fail with a Limit error before they are built.
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/chat/value.h"

namespace assistd::chat {

// + - * / // % ** ~ == != < > <= >= and `in` (`not in` is `in` negated by the caller).
Value apply_binary(std::string_view op, const Value& left, const Value& right, size_t max_bytes);
Value negate(const Value& operand);
bool contains(const Value& container, const Value& item);

// obj[key] and obj.name as jinja2's environment.getitem / getattr do on plain data: a missing
// key, index or attribute is an undefined value naming what was missing.
Value get_item(const Value& object, const Value& key);
Value get_attribute(const Value& object, std::string_view name);

// obj[start:stop:step] on a string (by code point) or list; absent parts are undefined values.
Value slice(const Value& object, const Value& start, const Value& stop, const Value& step);

// Fails with the undefined value's message when `value` is undefined.
void require_defined(const Value& value);

}  // namespace assistd::chat
