// response_format on /v1/chat/completions: free text, any JSON object, or JSON that validates
// against a JSON Schema — the last two compiled to a grammar that holds decoding to them.
//
//   {"type": "text"}
//   {"type": "json_object"}
//   {"type": "json_schema", "json_schema": {"name": "person", "schema": {...}, "strict": true}}
//
// strict false is honoured as strictly as true: the output always validates. A schema feature
// the compiler does not support is a 400 naming it (see engine/grammar/json_schema_grammar.h).
#pragma once

#include <memory>

#include "api/json_fields.h"
#include "engine/grammar/grammar.h"

namespace assistd::api {

// Reads response_format from `fields`; `grammar` stays null for text. Problems are left in
// fields.error().
void read_response_format(JsonFields& fields, std::shared_ptr<const Grammar>& grammar);

}  // namespace assistd::api
