#include "api/chat_request.h"

#include "api/response_format.h"

namespace assistd::api {

namespace {

// Without tools, "auto" and "none" both mean: answer in text.
bool is_no_tool(const nlohmann::json& value) {
    return value == "none" || value == "auto";
}

// {"type": "text", ...}; a "type" that is not a string is simply not "text".
bool has_text_type(const nlohmann::json& value) {
    if (!value.is_object()) return false;
    auto type = value.find("type");
    return type != value.end() && *type == "text";
}

bool is_text_part(const nlohmann::json& part) {
    if (!has_text_type(part) || part.size() != 2) return false;
    auto text = part.find("text");
    return text != part.end() && text->is_string();
}

bool is_text_only(const nlohmann::json& value) {
    return value == nlohmann::json::array({"text"});
}

std::optional<ChatRole> role_named(const std::string& name) {
    if (name == "system" || name == "developer") return ChatRole::System;
    if (name == "user") return ChatRole::User;
    if (name == "assistant") return ChatRole::Assistant;
    return std::nullopt;
}

// A string, or an array of {"type": "text", "text": "..."} parts joined by newlines.
void read_content(JsonFields& fields, ChatMessage& message) {
    const nlohmann::json* content = fields.value("content");
    if (content == nullptr) {
        fields.fail("content", "is required");
        return;
    }
    if (content->is_string()) {
        message.content = content->get<std::string>();
        return;
    }
    if (!content->is_array()) {
        fields.fail("content",
                    "must be a string or an array of text parts, got " + json_kind_name(*content));
        return;
    }
    for (size_t i = 0; i < content->size(); ++i) {
        const nlohmann::json& part = (*content)[i];
        const std::string key = "content[" + std::to_string(i) + "]";
        if (!is_text_part(part)) {
            fields.fail(key,
                        "is not supported: only {\"type\": \"text\", \"text\": \"...\"} "
                        "parts are, got " +
                            json_brief(part));
            return;
        }
        if (i > 0) message.content += "\n";
        message.content += part.find("text")->get<std::string>();
    }
}

std::optional<ChatMessage> read_message(JsonFields& top, const nlohmann::json& value,
                                        size_t index) {
    const std::string path = "messages[" + std::to_string(index) + "]";
    if (!value.is_object()) {
        top.fail(invalid_request(path, path + " must be an object, got " + json_kind_name(value)));
        return std::nullopt;
    }
    JsonFields fields(value, path + ".");
    ChatMessage message{ChatRole::User, ""};
    std::string role_name;
    if (!fields.string("role", role_name)) fields.fail("role", "is required");
    std::optional<ChatRole> role = role_named(role_name);
    if (!fields.failed() && !role) {
        fields.fail("role", "'" + role_name + "' is not supported: use system, developer, user " +
                                "or assistant (tools are not supported)");
    }
    if (role) message.role = *role;
    read_content(fields, message);
    fields.ignore("name");
    fields.unsupported("tool_calls", is_empty_array, "this server has no tools");
    fields.unsupported("function_call", is_empty_array, "this server has no functions");
    fields.unsupported("refusal", is_empty_array, "refusals are not modelled");
    fields.unsupported("audio", is_empty_array, "this server has no audio output");
    fields.unsupported("annotations", is_empty_array, "annotations are not modelled");
    fields.reject_unknown();
    if (fields.error()) {
        top.fail(*fields.error());
        return std::nullopt;
    }
    return message;
}

void read_messages(JsonFields& fields, ChatRequest& request) {
    const nlohmann::json* messages = fields.value("messages");
    if (messages == nullptr || !messages->is_array() || messages->empty()) {
        fields.fail("messages", "must be a non-empty array of messages");
        return;
    }
    for (size_t i = 0; i < messages->size(); ++i) {
        std::optional<ChatMessage> message = read_message(fields, (*messages)[i], i);
        if (!message) return;
        request.messages.push_back(std::move(*message));
    }
}

// logprobs: true reports each token's log probability; top_logprobs (0..20, only with
// logprobs) adds that many likely alternatives, as OpenAI's chat API does.
void read_logprobs(JsonFields& fields, GenerationParams& params) {
    bool logprobs = false;
    fields.boolean("logprobs", logprobs);
    int64_t top = 0;
    if (fields.integer("top_logprobs", 0, kMaxTopLogprobs, top) && top > 0 && !logprobs) {
        fields.fail("top_logprobs", "requires logprobs to be true");
    }
    params.logprobs = logprobs ? static_cast<int>(top) : -1;
}

void reject_unsupported_chat_features(JsonFields& fields) {
    fields.unsupported("tools", is_empty_array, "this server has no tools");
    fields.unsupported("tool_choice", is_no_tool, "this server has no tools");
    fields.ignore("parallel_tool_calls");  // meaningless without tools
    fields.unsupported("functions", is_empty_array, "this server has no functions");
    fields.unsupported("function_call", is_no_tool, "this server has no functions");
    fields.unsupported("modalities", is_text_only, "only [\"text\"] is");
    fields.unsupported("audio", is_empty_array, "this server has no audio output");
    fields.unsupported("prediction", is_empty_array, "predicted outputs are not implemented");
    fields.unsupported("reasoning_effort", is_empty_array, "the model does not reason");
    fields.unsupported("web_search_options", is_empty_array, "this server has no web search");
}

}  // namespace

std::string_view chat_role_name(ChatRole role) {
    switch (role) {
        case ChatRole::System:
            return "system";
        case ChatRole::User:
            return "user";
        case ChatRole::Assistant:
            return "assistant";
    }
    return "user";
}

ApiResult<ChatRequest> parse_chat_request(std::string_view body, const RequestLimits& limits) {
    ApiResult<nlohmann::json> object = parse_json_object(body);
    if (!object) return object.error();
    JsonFields fields(*object, "");
    ChatRequest request;
    read_generation_fields(fields, limits, {"max_tokens", "max_completion_tokens"},
                           limits.default_max_tokens, request.generation);
    read_messages(fields, request);
    read_logprobs(fields, request.generation.params);
    read_response_format(fields, request.output_grammar);
    if (const nlohmann::json* format = fields.value("response_format"))
        request.output_format = *format;
    reject_unsupported_chat_features(fields);
    fields.reject_unknown();
    if (fields.error()) return *fields.error();
    return request;
}

}  // namespace assistd::api
