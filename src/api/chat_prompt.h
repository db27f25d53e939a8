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

#include <nlohmann/json.hpp>

#include "api/api_result.h"
#include "api/chat_request.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

// `tools`: the request's tool definitions (null for none), which the template sees as `tools`.
// Assistant tool calls reach the template with their arguments parsed into an object when they
// are JSON (templates write them with tojson); tool messages carry tool_call_id and name.
ApiResult<std::string> render_chat_prompt(std::span<const ChatMessage> messages,
                                          std::string_view chat_template,
                                          const Tokenizer& tokenizer,
                                          const nlohmann::ordered_json& tools = nullptr);

// The messages as the template sees them (what HF's apply_chat_template is given).
nlohmann::ordered_json chat_messages_json(std::span<const ChatMessage> messages);

// The template a model's chats are rendered with: its own, or the fallback for its vocabulary.
std::string_view chat_template_source(std::string_view chat_template, const Tokenizer& tokenizer);

}  // namespace assistd::api
