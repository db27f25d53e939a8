// Renders chat messages into the prompt text the model continues, until the chat-template
// interpreter (engine/chat) exists: a model whose GGUF tokenizer.chat_template is of the ChatML
// kind (it writes <|im_start|>) gets ChatML; any other model, or one without a template, gets a
// plain role-prefixed transcript that ends by inviting the assistant to speak.
//
//   ChatML:        <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n
//   role-prefixed: User: Hi\nAssistant:
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "api/chat_request.h"

namespace assistd::api {

enum class ChatFormat { ChatML, RolePrefixed };

ChatFormat chat_format_for(std::string_view chat_template);

std::string render_chat_prompt(std::span<const ChatMessage> messages,
                               std::string_view chat_template);

}  // namespace assistd::api
