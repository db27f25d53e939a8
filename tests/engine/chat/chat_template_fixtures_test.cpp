// Every shared chat template, rendered by our interpreter, against what Python's jinja2 rendered
// with HF's settings (tests/engine/chat/make_fixtures.py wrote the fixtures): byte for byte, or
// the same raised message, or an error where Python failed with a TypeError.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/chat/chat_template.h"
#include "support/shared_data.h"

namespace assistd::chat {
namespace {

using Json = nlohmann::ordered_json;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Json read_json(const std::filesystem::path& path) {
    return Json::parse(read_file(path));
}

const std::filesystem::path kFixtures = ASSISTD_CHAT_FIXTURES_DIR;

std::tm fixed_now(const Json& inputs) {
    std::tm now{};
    std::istringstream(inputs["now"].get<std::string>()) >>
        std::get_time(&now, "%Y-%m-%dT%H:%M:%S");
    return now;
}

class TemplateFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TemplateFixture, RendersLikeJinja2) {
    const Json inputs = read_json(kFixtures / "conversations.json");
    const Json fixture = read_json(kFixtures / (GetParam() + ".json"));
    const std::string source =
        read_file(testing::shared_path("models/templates/" + GetParam() + ".jinja"));
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
        request.now = fixed_now(inputs);
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

std::vector<std::string> template_names() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
        const std::string stem = entry.path().stem().string();
        if (stem != "conversations") names.push_back(stem);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(SharedTemplates, TemplateFixture, ::testing::ValuesIn(template_names()),
                         test_name);

}  // namespace
}  // namespace assistd::chat
