// WordPiece (WPM, tokenizer.ggml.model = "bert") tokenization of one text fragment.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/tokenizer/vocab.h"

namespace assistd {

// Appends the ids of valid UTF-8 `text` to `out`. The text is NFD-normalized and lower-cased;
// whitespace separates words, control characters are dropped, and punctuation, ASCII symbols and
// CJK ideographs become words of their own. Each word, prefixed with U+2581 as the GGUF vocabulary
// spells word starts, is covered greedily by the longest tokens; a word that cannot be covered is
// one unknown token.
void wpm_tokenize(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out);

}  // namespace assistd
