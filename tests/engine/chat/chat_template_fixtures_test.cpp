// Every shared chat template, rendered by our interpreter, against what Python's jinja2 rendered
// with HF's settings (tests/engine/chat/make_fixtures.py wrote the fixtures): byte for byte, or
// the same raised message, or an error where Python failed with a TypeError.
#include <gtest/gtest.h>

#include "engine/chat/chat_template.h"
#include "support/chat_fixtures.h"
#include "support/shared_data.h"

namespace assistd::chat {
namespace {

using Json = nlohmann::ordered_json;

class TemplateFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TemplateFixture, RendersLikeJinja2) {
    const Json inputs = testing::read_chat_fixture("conversations");
    const Json fixture = testing::read_chat_fixture(GetParam());
    const std::string source =
        testing::read_text_file(testing::shared_path("models/templates/" + GetParam() + ".jinja"));
    TemplateResult<ChatTemplate> parsed = ChatTemplate::parse(source);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << " at line " << parsed.error().line;
    for (const Json& expected : fixture["cases"]) {
        const std::string conversation = expected["conversation"];
        SCOPED_TRACE(conversation +
                     (expected["add_generation_prompt"].get<bool>() ? " +prompt" : ""));
        ChatTemplateInputs request;
        request.messages = inputs["conversations"][conversation];
        for (const Json& name : inputs["with_tools"]) {
            if (name == conversation) request.tools = inputs["tools"];
        }
        request.add_generation_prompt = expected["add_generation_prompt"];
        if (!fixture["bos_token"].is_null()) request.bos_token = fixture["bos_token"];
        if (!fixture["eos_token"].is_null()) request.eos_token = fixture["eos_token"];
        request.now = testing::chat_fixture_now(inputs);
        TemplateResult<std::string> rendered = parsed->render(request);
        if (expected.contains("output")) {
            ASSERT_TRUE(rendered.ok()) << rendered.error().message;
            EXPECT_EQ(*rendered, expected["output"].get<std::string>());
        } else if (expected.contains("raises")) {
            ASSERT_FALSE(rendered.ok()) << *rendered;
            EXPECT_EQ(rendered.error().message, expected["raises"].get<std::string>());
        } else {
            ASSERT_FALSE(rendered.ok()) << *rendered;
            EXPECT_EQ(rendered.error().kind, TemplateErrorKind::Type) << rendered.error().message;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(SharedTemplates, TemplateFixture,
                         ::testing::ValuesIn(testing::chat_fixture_templates()),
                         testing::template_test_name);

}  // namespace
}  // namespace assistd::chat
