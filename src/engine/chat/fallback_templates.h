// Chat templates for models whose GGUF file carries none, chosen by what the vocabulary holds:
// Llama 3 header tokens mean the Llama 3 format, <|im_start|> means ChatML, a SentencePiece
// vocabulary (tokenizer.ggml.model "llama") means Llama 2's [INST] format, and anything else
// gets ChatML, the most widely trained format.
#pragma once

#include <string_view>

#include "engine/tokenizer/vocab.h"

namespace assistd::chat {

enum class FallbackFormat { ChatML, Llama2, Llama3 };

FallbackFormat fallback_format_for(const Vocab& vocab);

// The template's Jinja source; it uses bos_token and eos_token where the format wants them.
std::string_view fallback_template(FallbackFormat format);

}  // namespace assistd::chat
