// Checks the tokenizer metadata that would otherwise crash a tokenizer later: array types,
// matching array lengths, and special token ids inside the vocabulary.
#pragma once

#include "common/result.h"
#include "engine/gguf/gguf_file.h"

namespace assistd::gguf {

Result<void> check_vocabulary(const GgufFile& file);

}  // namespace assistd::gguf
