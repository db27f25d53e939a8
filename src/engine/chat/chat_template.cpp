#include "engine/chat/chat_template.h"

#include "engine/chat/builtin_globals.h"
#include "engine/chat/parser.h"
#include "engine/chat/renderer.h"

namespace assistd::chat {

namespace {

std::tm local_now() {
    const std::time_t t = std::time(nullptr);
    std::tm now{};
    localtime_r(&t, &now);
    return now;
}

}  // namespace

TemplateResult<ChatTemplate> ChatTemplate::parse(std::string_view source,
                                                 const RenderLimits& limits) {
    try {
        return ChatTemplate(std::make_shared<const Body>(parse_template(source, limits)), limits);
    } catch (const TemplateFailure& failure) {
        return failure.error;
    }
}

TemplateResult<std::string> ChatTemplate::render(const ChatTemplateInputs& inputs) const {
    nlohmann::ordered_json variables = {{"messages", inputs.messages},
                                        {"add_generation_prompt", inputs.add_generation_prompt}};
    if (!inputs.tools.is_null()) variables["tools"] = inputs.tools;
    if (inputs.bos_token) variables["bos_token"] = *inputs.bos_token;
    if (inputs.eos_token) variables["eos_token"] = *inputs.eos_token;
    return render_context(variables, inputs.now);
}

TemplateResult<std::string> ChatTemplate::render_context(const nlohmann::ordered_json& variables,
                                                         const std::optional<std::tm>& now) const {
    try {
        ValueDict scope = builtin_globals(now ? *now : local_now(), limits_);
        if (variables.is_object()) {
            for (const auto& [key, value] : variables.items())
                scope.emplace_back(key, Value::from_json(value));
        }
        return Renderer(std::move(scope), limits_).render(*body_);
    } catch (const TemplateFailure& failure) {
        return failure.error;
    }
}

}  // namespace assistd::chat
