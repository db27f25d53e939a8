// Renders chat messages into the prompt text the model continues, through the model's own chat
// template (GGUF tokenizer.chat_template) as HF's apply_chat_template would, with
// add_generation_prompt=true and the vocabulary's BOS/EOS texts as bos_token/eos_token. A model
// without a template gets a fallback chosen from its vocabulary (engine/chat/fallback_templates.h).
//
// A template that does not parse, raises (raise_exception("...")), or fails on these messages is
// answered with a 400 invalid_request_error on `messages` carrying the template's message.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "api/api_result.h"
#include "api/chat_request.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

ApiResult<std::string> render_chat_prompt(std::span<const ChatMessage> messages,
                                          std::string_view chat_template,
                                          const Tokenizer& tokenizer);

}  // namespace assistd::api
