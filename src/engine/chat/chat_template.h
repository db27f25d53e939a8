// A chat template from GGUF metadata (`tokenizer.chat_template`), parsed once and rendered for
// each conversation the way HF transformers' apply_chat_template does with jinja2: same
// whitespace settings, same globals, same tojson, so the prompt matches what the model was
// trained on byte for byte.
//
//   TemplateResult<ChatTemplate> parsed = ChatTemplate::parse(source);
//   if (!parsed) return parsed.error();                    // Syntax, with its line
//   ChatTemplateInputs inputs;
//   inputs.messages = nlohmann::ordered_json::parse(R"([{"role":"user","content":"Hi"}])");
//   inputs.bos_token = "<s>";
//   TemplateResult<std::string> prompt = parsed->render(inputs);
#pragma once

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/chat/ast.h"
#include "engine/chat/render_limits.h"
#include "engine/chat/template_error.h"

namespace assistd::chat {

struct ChatTemplateInputs {
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    nlohmann::ordered_json tools;  // null: the template sees `tools` undefined
    bool add_generation_prompt = true;
    std::optional<std::string> bos_token;  // absent when the vocabulary has none, as in HF
    std::optional<std::string> eos_token;
    std::optional<std::tm> now;  // what strftime_now formats; the local time when absent
};

class ChatTemplate {
  public:
    static TemplateResult<ChatTemplate> parse(std::string_view source,
                                              const RenderLimits& limits = {});

    TemplateResult<std::string> render(const ChatTemplateInputs& inputs) const;

    // Renders with `variables` (a JSON object) as the whole context besides the globals.
    TemplateResult<std::string> render_context(
        const nlohmann::ordered_json& variables,
        const std::optional<std::tm>& now = std::nullopt) const;

  private:
    ChatTemplate(std::shared_ptr<const Body> body, const RenderLimits& limits)
        : body_(std::move(body)), limits_(limits) {}

    std::shared_ptr<const Body> body_;
    RenderLimits limits_;
};

}  // namespace assistd::chat
