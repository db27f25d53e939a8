#include "api/chat_request.h"

#include <algorithm>

#include "api/response_format.h"

namespace assistd::api {

namespace {

// Without functions, "auto" and "none" both mean: answer in text.
bool is_no_function(const nlohmann::json& value) {
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
    if (name == "tool") return ChatRole::Tool;
    return std::nullopt;
}

// A string, or an array of {"type": "text", "text": "..."} parts joined by newlines.
void read_content(JsonFields& fields, ChatMessage& message) {
    const nlohmann::json* content = fields.value("content");
    if (content == nullptr) {
        // OpenAI's assistant turns that only call tools carry "content": null.
        if (message.role == ChatRole::Assistant && !message.tool_calls.empty()) {
            message.null_content = true;
            return;
        }
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

// {"id": "call_…", "type": "function", "function": {"name": "...", "arguments": "{...}"}}
std::optional<ChatToolCall> read_tool_call(JsonFields& top, const nlohmann::json& value,
                                           const std::string& path) {
    if (!value.is_object()) {
        top.fail(invalid_request(path, path + " must be an object, got " + json_kind_name(value)));
        return std::nullopt;
    }
    JsonFields fields(value, path + ".");
    ChatToolCall call;
    if (!fields.string("id", call.id)) fields.fail("id", "is required");
    const nlohmann::json* function = function_entry(fields, "function calls");
    fields.reject_unknown();
    if (!fields.failed()) {
        JsonFields inner(*function, path + ".function.");
        if (!inner.string("name", call.name)) inner.fail("name", "is required");
        if (!inner.string("arguments", call.arguments)) {
            inner.fail("arguments", "is required: the call's arguments as a JSON string");
        }
        inner.reject_unknown();
        if (inner.failed()) fields.fail(*inner.error());
    }
    if (fields.failed()) {
        top.fail(*fields.error());
        return std::nullopt;
    }
    return call;
}

void read_tool_calls(JsonFields& fields, const std::string& path, ChatMessage& message) {
    const nlohmann::json* calls = fields.value("tool_calls");
    if (calls == nullptr || fields.failed()) return;
    if (message.role != ChatRole::Assistant) {
        fields.fail("tool_calls", "is only allowed in assistant messages");
        return;
    }
    if (!calls->is_array()) {
        fields.fail("tool_calls", "must be an array, got " + json_kind_name(*calls));
        return;
    }
    for (size_t i = 0; i < calls->size(); ++i) {
        const std::string call_path = path + ".tool_calls[" + std::to_string(i) + "]";
        std::optional<ChatToolCall> call = read_tool_call(fields, (*calls)[i], call_path);
        if (!call) return;
        message.tool_calls.push_back(std::move(*call));
    }
}

void read_tool_reply(JsonFields& fields, ChatMessage& message) {
    const bool has_id = fields.string("tool_call_id", message.tool_call_id);
    if (!fields.failed() && message.role == ChatRole::Tool && !has_id) {
        fields.fail("tool_call_id", "is required in tool messages");
    }
    if (!fields.failed() && message.role != ChatRole::Tool && has_id) {
        fields.fail("tool_call_id", "is only allowed in tool messages");
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
        fields.fail("role", "'" + role_name +
                                "' is not supported: use system, developer, user, assistant "
                                "or tool");
    }
    if (role) message.role = *role;
    read_tool_calls(fields, path, message);
    read_content(fields, message);
    read_tool_reply(fields, message);
    // Only a tool message's name reaches the template (the function it answers).
    std::string name;
    if (fields.string("name", name) && message.role == ChatRole::Tool) message.name = name;
    fields.unsupported("function_call", is_empty_array, "use tool_calls");
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

// The call of the latest assistant turn a tool message answers (OpenAI requires one), or null.
const ChatToolCall* answered_call(const std::vector<ChatMessage>& earlier,
                                  const ChatMessage& reply) {
    auto assistant = std::find_if(earlier.rbegin(), earlier.rend(), [](const ChatMessage& message) {
        return message.role == ChatRole::Assistant;
    });
    if (assistant == earlier.rend()) return nullptr;
    auto call =
        std::find_if(assistant->tool_calls.begin(), assistant->tool_calls.end(),
                     [&reply](const ChatToolCall& call) { return call.id == reply.tool_call_id; });
    return call == assistant->tool_calls.end() ? nullptr : &*call;
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
        if (message->role == ChatRole::Tool) {
            const ChatToolCall* call = answered_call(request.messages, *message);
            if (call == nullptr) {
                const std::string param = "messages[" + std::to_string(i) + "].tool_call_id";
                fields.fail(invalid_request(
                    param, param + " '" + message->tool_call_id +
                               "' does not name a tool call of the preceding assistant message: "
                               "a tool message must answer one of its tool_calls"));
                return;
            }
            // Templates that label results with the function's name (functionary) need it.
            if (message->name.empty()) message->name = call->name;
        }
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
    fields.unsupported("functions", is_empty_array, "use tools");
    fields.unsupported("function_call", is_no_function, "use tool_choice");
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
        case ChatRole::Tool:
            return "tool";
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
    // Tool definitions go to the chat template with their keys in the client's order.
    const nlohmann::ordered_json ordered = object->contains("tools")
                                               ? nlohmann::ordered_json::parse(body)
                                               : nlohmann::ordered_json::object();
    read_chat_tools(fields, ordered, request.tools);
    if (!fields.failed() && request.tools.forced() && request.output_grammar) {
        fields.fail("tool_choice",
                    "cannot force a tool call together with a response_format "
                    "json_object or json_schema");
    }
    reject_unsupported_chat_features(fields);
    fields.reject_unknown();
    if (fields.error()) return *fields.error();
    return request;
}

}  // namespace assistd::api
