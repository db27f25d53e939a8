// libFuzzer entry point for the chat-template interpreter: any bytes as a template's source are
// parsed and, when they parse, rendered over a small conversation under tight limits. Each input
// must give text within the output limit or a TemplateError that says why (syntax errors with a
// line) — never a crash, a hang past the limits, or an exception escaping.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "engine/chat/chat_template.h"

namespace {

using assistd::chat::ChatTemplate;
using assistd::chat::ChatTemplateInputs;
using assistd::chat::RenderLimits;
using assistd::chat::TemplateErrorKind;

constexpr RenderLimits kLimits{.max_output_bytes = 1 << 16,
                               .max_loop_iterations = 1 << 12,
                               .max_call_depth = 16,
                               .max_nesting = 64};

[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
}

ChatTemplateInputs conversation() {
    ChatTemplateInputs inputs;
    inputs.messages = nlohmann::ordered_json::parse(R"([
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "你好 <b>"},
        {"role": "assistant", "content": null,
         "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
        {"role": "tool", "content": "42"}])");
    inputs.tools = nlohmann::ordered_json::parse(
        R"([{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}])");
    inputs.bos_token = "<s>";
    inputs.eos_token = "</s>";
    inputs.now = std::tm{};
    return inputs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const ChatTemplateInputs inputs = conversation();
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    auto parsed = ChatTemplate::parse(source, kLimits);
    if (!parsed) {
        if (parsed.error().kind != TemplateErrorKind::Syntax || parsed.error().line < 1) {
            broken("a parse failure is a Syntax error with a line");
        }
        if (parsed.error().message.empty()) broken("a parse failure says why");
        return 0;
    }
    auto rendered = parsed->render(inputs);
    if (rendered) {
        if (rendered->size() > kLimits.max_output_bytes) broken("output within the limit");
    } else if (rendered.error().message.empty() &&
               rendered.error().kind != TemplateErrorKind::Raised) {
        broken("a render failure says why");
    }
    return 0;
}
