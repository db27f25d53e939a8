#include "api/chat_prompt.h"

namespace assistd::api {

namespace {

std::string render_chatml(std::span<const ChatMessage> messages) {
    std::string prompt;
    for (const ChatMessage& message : messages) {
        prompt += "<|im_start|>";
        prompt += chat_role_name(message.role);
        prompt += "\n" + message.content + "<|im_end|>\n";
    }
    return prompt + "<|im_start|>assistant\n";
}

std::string_view role_prefix(ChatRole role) {
    switch (role) {
        case ChatRole::System:
            return "System: ";
        case ChatRole::User:
            return "User: ";
        case ChatRole::Assistant:
            return "Assistant: ";
    }
    return "User: ";
}

std::string render_role_prefixed(std::span<const ChatMessage> messages) {
    std::string prompt;
    for (const ChatMessage& message : messages) {
        prompt += role_prefix(message.role);
        prompt += message.content + "\n";
    }
    return prompt + "Assistant:";
}

}  // namespace

ChatFormat chat_format_for(std::string_view chat_template) {
    return chat_template.find("<|im_start|>") != std::string_view::npos ? ChatFormat::ChatML
                                                                        : ChatFormat::RolePrefixed;
}

std::string render_chat_prompt(std::span<const ChatMessage> messages,
                               std::string_view chat_template) {
    switch (chat_format_for(chat_template)) {
        case ChatFormat::ChatML:
            return render_chatml(messages);
        case ChatFormat::RolePrefixed:
            return render_role_prefixed(messages);
    }
    return render_role_prefixed(messages);
}

}  // namespace assistd::api
