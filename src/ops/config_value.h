// Typed parsing of one configuration value from its text, shared by YAML scalars, environment
// variables and flags so that "9000" means the same wherever it is written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::ops {

// A whole decimal integer within [min, max]; the error says the range and what was given.
Result<int64_t> parse_integer(std::string_view text, int64_t min, int64_t max);

// A finite decimal number within [min, max].
Result<double> parse_number(std::string_view text, double min, double max);

// "true" or "false" (YAML 1.2's core schema; yes/no/on/off are rejected as ambiguous).
Result<bool> parse_boolean(std::string_view text);

// A number as the summary and messages show it: no trailing zeros ("30", "0.5").
std::string format_number(double value);

}  // namespace assistd::ops
