// The bytes a token stands for, per vocabulary type, as llama.cpp's token_to_piece(special=true).
#pragma once

#include <cstdint>
#include <string>

#include "engine/tokenizer/vocab.h"

namespace assistd {

// SPM and WPM: U+2581 becomes a space, <0xNN> byte tokens become their byte.
// BPE: each of GPT-2's stand-in code points becomes its byte.
// Control, unknown and user-defined tokens: their text as written. Unused and undefined tokens:
// nothing. The result may be part of a UTF-8 character.
std::string render_piece(const Vocab& vocab, int32_t id);

}  // namespace assistd
