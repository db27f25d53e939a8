// POST /v1/chat/completions: the request body parsed and validated into messages and engine
// parameters. Every refusal is a 400 naming the field, or 404 for a model not served.
//
//   ApiResult<ChatRequest> request = parse_chat_request(body, limits);
//   if (!request) reply(request.error().status, error_body(request.error()));
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api_result.h"
#include "api/chat_tools.h"
#include "api/generation_request.h"
#include "api/request_limits.h"
#include "engine/grammar/grammar.h"

namespace assistd::api {

enum class ChatRole { System, User, Assistant, Tool };

std::string_view chat_role_name(ChatRole role);  // "system", "user", "assistant", "tool"

// A call an earlier assistant turn made, as the client sends it back.
struct ChatToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // JSON text, as OpenAI writes it

    bool operator==(const ChatToolCall&) const = default;
};

struct ChatMessage {
    ChatMessage() = default;
    ChatMessage(ChatRole role, std::string content) : role(role), content(std::move(content)) {}

    ChatRole role = ChatRole::User;
    std::string content;        // text parts of an array content joined by "\n"
    bool null_content = false;  // an assistant turn with tool_calls and content null or absent
    std::vector<ChatToolCall> tool_calls;  // assistant
    std::string tool_call_id;              // tool: the call this message answers
    std::string name;                      // tool: the function's name, when given

    bool operator==(const ChatMessage&) const = default;
};

struct ChatRequest {
    std::vector<ChatMessage> messages;
    GenerationRequest generation;
    // response_format json_object or json_schema: what the output is held to; null for text.
    std::shared_ptr<const Grammar> output_grammar;
    // The response_format object as sent (null for none): part of the response cache's key.
    nlohmann::json output_format;
    ChatTools tools;
};

// Accepted: messages (roles system, developer (as system), user, assistant (content null with
// tool_calls), tool (tool_call_id naming a call of the latest assistant turn); content a string
// or an array of text parts), tools, tool_choice, parallel_tool_calls (chat_tools.h), model,
// stream, stream_options.include_usage, max_tokens, max_completion_tokens, temperature, top_p, n,
// stop, seed, presence_penalty, frequency_penalty, logit_bias, logprobs, top_logprobs (0..20, with
// logprobs: true), response_format (text, json_object, json_schema: see response_format.h), user,
// metadata, store, service_tier. Refused: the legacy functions and function_call, audio, non-text
// content, and any field OpenAI does not define.
ApiResult<ChatRequest> parse_chat_request(std::string_view body, const RequestLimits& limits);

}  // namespace assistd::api
