// JSON Schema → Grammar: the sentences of the grammar are JSON texts that validate against the
// schema, so a sampler held to the grammar can only write valid output (OpenAI's structured
// outputs, response_format json_schema).
//
// Supported: type (object, array, string, number, integer, boolean, null, or a list of them),
// properties, required, additionalProperties (false or true), items, minItems and maxItems,
// minLength and maxLength, enum, const, anyOf, $ref to "#", "#/$defs/…" or "#/definitions/…"
// (recursion allowed), and the annotations title, description, default, examples, $schema,
// $id, $comment. Any other keyword is refused with an Error naming it and where it is, since
// ignoring it would let output through that the schema forbids.
//
// The grammar writes properties in the order the parsed schema holds them — nlohmann::json keeps
// object keys sorted, so by name — optional ones possibly left out, and never writes properties
// the schema does not list (valid even when additionalProperties allows them).
#pragma once

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "engine/grammar/grammar.h"

namespace assistd {

inline constexpr int64_t kMaxSchemaCount = 1024;  // largest maxItems / maxLength compiled

// `path` names the schema in errors (e.g. "response_format.json_schema.schema").
Result<Grammar> json_schema_grammar(const nlohmann::json& schema, std::string_view path);

// The same, as a rule added to `builder`, for grammars that embed JSON in other text (a tool
// call's arguments inside the model's tool-call markup). `$ref`s resolve against `schema`.
Result<int32_t> add_json_schema_rule(GrammarBuilder& builder, const nlohmann::json& schema,
                                     std::string_view path);

// Any JSON object: response_format json_object.
Grammar json_object_grammar();

}  // namespace assistd
