// Renders a template source over a JSON context for the chat-template unit tests: the output, or
// "error: " and the message.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/chat/chat_template.h"

namespace assistd::chat::testing {

inline TemplateResult<std::string> try_render(std::string_view source,
                                              std::string_view context = "{}",
                                              const RenderLimits& limits = {}) {
    TemplateResult<ChatTemplate> parsed = ChatTemplate::parse(source, limits);
    if (!parsed) return parsed.error();
    return parsed->render_context(nlohmann::ordered_json::parse(context));
}

inline std::string render_text(std::string_view source, std::string_view context = "{}") {
    TemplateResult<std::string> rendered = try_render(source, context);
    return rendered ? *rendered : "error: " + rendered.error().message;
}

}  // namespace assistd::chat::testing
