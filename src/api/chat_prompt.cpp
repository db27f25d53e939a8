#include "api/chat_prompt.h"

#include <optional>

#include "engine/chat/chat_template.h"
#include "engine/chat/fallback_templates.h"

namespace assistd::api {

namespace {

// The token's text, or "" when the vocabulary has no such token, so fallback templates that
// write bos_token still render.
std::string special_text(const Tokenizer& tokenizer, int32_t token) {
    return tokenizer.vocab().contains(token) ? tokenizer.token_to_piece(token, true) : "";
}

// Parsing a template costs far more than comparing its text, and a server renders the same one
// for every request: each thread keeps the last template it parsed.
const chat::TemplateResult<chat::ChatTemplate>& parsed_template(std::string_view source) {
    thread_local std::string cached_source;
    thread_local std::optional<chat::TemplateResult<chat::ChatTemplate>> cached;
    if (!cached || cached_source != source) {
        cached.emplace(chat::ChatTemplate::parse(source));
        cached_source = source;
    }
    return *cached;
}

nlohmann::ordered_json tool_call_json(const ChatToolCall& call) {
    nlohmann::ordered_json arguments =
        nlohmann::ordered_json::parse(call.arguments, nullptr, false);
    if (arguments.is_discarded()) arguments = call.arguments;
    return {{"id", call.id},
            {"type", "function"},
            {"function", {{"name", call.name}, {"arguments", std::move(arguments)}}}};
}

nlohmann::ordered_json message_json(const ChatMessage& message) {
    nlohmann::ordered_json json = {{"role", std::string(chat_role_name(message.role))}};
    if (message.role == ChatRole::Tool && !message.name.empty()) json["name"] = message.name;
    if (message.role == ChatRole::Tool) json["tool_call_id"] = message.tool_call_id;
    json["content"] = message.null_content ? nlohmann::ordered_json(nullptr)
                                           : nlohmann::ordered_json(message.content);
    if (!message.tool_calls.empty()) {
        nlohmann::ordered_json& calls = json["tool_calls"] = nlohmann::ordered_json::array();
        for (const ChatToolCall& call : message.tool_calls) calls.push_back(tool_call_json(call));
    }
    return json;
}

}  // namespace

nlohmann::ordered_json chat_messages_json(std::span<const ChatMessage> messages) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ChatMessage& message : messages) list.push_back(message_json(message));
    return list;
}

std::string_view chat_template_source(std::string_view chat_template, const Tokenizer& tokenizer) {
    if (!chat_template.empty()) return chat_template;
    return chat::fallback_template(chat::fallback_format_for(tokenizer.vocab()));
}

ApiResult<std::string> render_chat_prompt(std::span<const ChatMessage> messages,
                                          std::string_view chat_template,
                                          const Tokenizer& tokenizer,
                                          const nlohmann::ordered_json& tools) {
    const std::string_view source = chat_template_source(chat_template, tokenizer);
    const chat::TemplateResult<chat::ChatTemplate>& parsed = parsed_template(source);
    if (!parsed) {
        return invalid_request("messages", "the model's chat template does not parse (line " +
                                               std::to_string(parsed.error().line) +
                                               "): " + parsed.error().message);
    }
    chat::ChatTemplateInputs inputs;
    inputs.messages = chat_messages_json(messages);
    if (!tools.is_null()) inputs.tools = tools;
    inputs.bos_token = special_text(tokenizer, tokenizer.bos());
    inputs.eos_token = special_text(tokenizer, tokenizer.eos());
    chat::TemplateResult<std::string> prompt = parsed->render(inputs);
    if (!prompt) return invalid_request("messages", prompt.error().message);
    return std::move(*prompt);
}

}  // namespace assistd::api
