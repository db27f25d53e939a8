// SentencePiece-style (SPM, tokenizer.ggml.model = "llama") tokenization of one text fragment.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/tokenizer/vocab.h"

namespace assistd {

// Appends the ids of `text` to `out`. Spaces must already be escaped as U+2581 and the space
// prefix added. Pairs merge by highest token score; a character left that is not a token falls
// back to its bytes' <0xNN> tokens.
void spm_tokenize(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out);

}  // namespace assistd
