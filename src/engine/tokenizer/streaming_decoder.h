// StreamingDecoder: turns generated tokens into text pieces that never split a UTF-8 character.
//
// A token may carry part of a character (byte-fallback <0xE4> tokens, byte-level BPE pieces of
// a CJK character or an emoji): those bytes are held back until later tokens complete them.
// Every piece returned is valid UTF-8; bytes that can never become valid are replaced by U+FFFD.
// The pieces concatenate to the tokens' pieces concatenated (decode(), except that decode drops
// the SPM first-token space: generated text continues a prompt, so its spaces are kept here).
#pragma once

#include <cstdint>
#include <string>

#include "engine/tokenizer/tokenizer.h"

namespace assistd {

class StreamingDecoder {
  public:
    // special: render control tokens as their text (see Tokenizer::token_to_piece).
    explicit StreamingDecoder(const Tokenizer& tokenizer, bool special = false)
        : tokenizer_(&tokenizer), special_(special) {}

    // The text that `token` completes; may be empty while a character is unfinished.
    std::string push(int32_t token);
    // Releases what is held back (an unfinished character becomes U+FFFD) and starts afresh.
    std::string flush();

  private:
    const Tokenizer* tokenizer_;
    bool special_;
    std::string pending_;  // bytes of an unfinished character
};

}  // namespace assistd
