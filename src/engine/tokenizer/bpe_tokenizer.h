// Byte-level BPE (tokenizer.ggml.model = "gpt2") tokenization of one text fragment.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/vocab.h"

namespace assistd {

// Appends the ids of `text` to `out`: split into words by the pre-tokenizer, each word's bytes
// mapped to GPT-2's stand-in code points, then pairs merged by lowest merge rank within the word.
// With ignore_merges (llama3) a word that is already a token is emitted whole.
void bpe_tokenize(const Vocab& vocab, const PreTokenizer& pre_tokenizer, std::string_view text,
                  std::vector<int32_t>& out);

}  // namespace assistd
