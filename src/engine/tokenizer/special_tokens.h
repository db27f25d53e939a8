// Splitting text on special tokens written in it, before any tokenizer sees it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/tokenizer/vocab.h"

namespace assistd {

// A piece of the input: a special token (token >= 0) or raw text to tokenize (token == -1).
struct Fragment {
    int32_t token = -1;
    std::string_view text;
};

// Finds the vocabulary's special tokens in `text`, longest first, as llama.cpp does: each token in
// turn splits every raw fragment left at all its occurrences. Control and unknown tokens count only
// with `parse_special`; user-defined tokens always count. A token with the lstrip (rstrip)
// attribute swallows the whitespace before (after) it.
std::vector<Fragment> partition_special_tokens(const Vocab& vocab, std::string_view text,
                                               bool parse_special);

}  // namespace assistd
