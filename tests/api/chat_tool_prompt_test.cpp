// A tool conversation sent the OpenAI way (arguments as a JSON string, content null, tool
// results by tool_call_id) renders through every shared template exactly as jinja2 rendered the
// same conversation for HF transformers (the fixtures of tests/engine/chat/make_fixtures.py).
#include <gtest/gtest.h>

#include "api/chat_prompt.h"
#include "api/chat_request.h"
#include "api_test_support.h"
#include "engine/chat/chat_template.h"
#include "support/chat_fixtures.h"
#include "support/shared_data.h"

namespace assistd::api {
namespace {

using Json = nlohmann::ordered_json;

// The fixture's conversation as a client sends it: arguments as JSON text.
std::string openai_body(const Json& inputs) {
    Json messages = inputs["conversations"]["tool_calls"];
    for (Json& message : messages) {
        if (!message.contains("tool_calls")) continue;
        for (Json& call : message["tool_calls"]) {
            call["function"]["arguments"] = call["function"]["arguments"].dump();
        }
    }
    return Json{{"model", "stories"}, {"messages", messages}, {"tools", inputs["tools"]}}.dump();
}

class ToolPrompt : public ::testing::TestWithParam<std::string> {};

TEST_P(ToolPrompt, RendersLikeHfTransformers) {
    const Json inputs = assistd::testing::read_chat_fixture("conversations");
    const Json fixture = assistd::testing::read_chat_fixture(GetParam());
    ApiResult<ChatRequest> request = parse_chat_request(openai_body(inputs), testing::kLimits);
    ASSERT_TRUE(request.ok()) << request.error().message;
    const std::string source = assistd::testing::read_text_file(
        assistd::testing::shared_path("models/templates/" + GetParam() + ".jinja"));
    chat::TemplateResult<chat::ChatTemplate> parsed = chat::ChatTemplate::parse(source);
    ASSERT_TRUE(parsed.ok());
    const std::tm now = assistd::testing::chat_fixture_now(inputs);
    for (const Json& expected : fixture["cases"]) {
        if (expected["conversation"] != "tool_calls" || !expected.contains("output")) continue;
        chat::ChatTemplateInputs template_inputs;
        template_inputs.messages = chat_messages_json(request->messages);
        template_inputs.tools = request->tools.definitions;
        template_inputs.add_generation_prompt = expected["add_generation_prompt"];
        if (!fixture["bos_token"].is_null()) template_inputs.bos_token = fixture["bos_token"];
        if (!fixture["eos_token"].is_null()) template_inputs.eos_token = fixture["eos_token"];
        template_inputs.now = now;
        chat::TemplateResult<std::string> rendered = parsed->render(template_inputs);
        ASSERT_TRUE(rendered.ok()) << rendered.error().message;
        EXPECT_EQ(*rendered, expected["output"].get<std::string>());
    }
}

INSTANTIATE_TEST_SUITE_P(SharedTemplates, ToolPrompt,
                         ::testing::ValuesIn(assistd::testing::chat_fixture_templates()),
                         assistd::testing::template_test_name);

}  // namespace
}  // namespace assistd::api
