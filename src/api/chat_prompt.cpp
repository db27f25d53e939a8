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

}  // namespace

ApiResult<std::string> render_chat_prompt(std::span<const ChatMessage> messages,
                                          std::string_view chat_template,
                                          const Tokenizer& tokenizer) {
    const std::string_view source =
        chat_template.empty()
            ? chat::fallback_template(chat::fallback_format_for(tokenizer.vocab()))
            : chat_template;
    const chat::TemplateResult<chat::ChatTemplate>& parsed = parsed_template(source);
    if (!parsed) {
        return invalid_request("messages", "the model's chat template does not parse (line " +
                                               std::to_string(parsed.error().line) +
                                               "): " + parsed.error().message);
    }
    chat::ChatTemplateInputs inputs;
    for (const ChatMessage& message : messages) {
        inputs.messages.push_back(
            {{"role", std::string(chat_role_name(message.role))}, {"content", message.content}});
    }
    inputs.bos_token = special_text(tokenizer, tokenizer.bos());
    inputs.eos_token = special_text(tokenizer, tokenizer.eos());
    chat::TemplateResult<std::string> prompt = parsed->render(inputs);
    if (!prompt) return invalid_request("messages", prompt.error().message);
    return std::move(*prompt);
}

}  // namespace assistd::api
