// PreTokenizer: splits text into the words a byte-level BPE vocabulary merges within, by the
// regex list llama.cpp uses for each `tokenizer.ggml.pre`.
//
// The regexes run in sequence: each one splits every piece the previous ones left, and the text
// between two matches stays a piece of its own. Each piece is matched as a whole subject, so
// `$` and look-aheads see the piece's end. Compiled once (PCRE2, UTF + UCP), shared by copies.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace assistd {

class PreTokenizer {
  public:
    // The regexes for a `tokenizer.ggml.pre` value ("" or "default" for the default list).
    static Result<PreTokenizer> for_pre(std::string_view pre);

    // Splits valid UTF-8 `text` into consecutive, non-empty pieces that cover it.
    std::vector<std::string_view> split(std::string_view text) const;

  private:
    struct Regex;
    std::vector<std::shared_ptr<const Regex>> regexes_;
};

}  // namespace assistd
