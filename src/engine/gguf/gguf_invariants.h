// check_invariants: verifies every promise a parsed GgufFile makes to its callers (see the list in
// gguf_file.h), touching every string, array element and tensor byte on the way, and calling every
// typed getter on every key.
//
// The fuzz target and gguf_corpus_test run it on each input that parses, so a validation gap
// shows up as an Error here (or as a sanitizer report) instead of as a crash in a model loader.
#pragma once

#include "common/result.h"
#include "engine/gguf/gguf_file.h"

namespace assistd::gguf {

Result<void> check_invariants(const GgufFile& file);

// Parses `bytes` and, when they parse, checks the invariants of the result. An Error only when a
// parsed file breaks an invariant; inputs that fail to parse are fine (their error text is checked
// to start with "gguf: ").
Result<void> parse_and_check(std::span<const uint8_t> bytes);

}  // namespace assistd::gguf
