// A JSON Schema validator for the subset structured output compiles (see
// engine/grammar/json_schema_grammar.h), written apart from the compiler so that tests check the
// grammar's output against the schema's meaning, not against the grammar itself.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace assistd::testing {

// "" when `value` validates against `schema`, else what does not (with a JSON-pointer-ish path).
std::string schema_violation(const nlohmann::json& value, const nlohmann::json& schema);

}  // namespace assistd::testing
