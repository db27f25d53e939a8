#include "api/chat_prompt.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/shared_data.h"

namespace assistd::api {
namespace {

const std::vector<ChatMessage> kConversation = {{ChatRole::System, "Be brief."},
                                                {ChatRole::User, "Hi"},
                                                {ChatRole::Assistant, "Hello!"},
                                                {ChatRole::User, "你好"}};

std::string read_template(const std::string& name) {
    std::ifstream file(testing::shared_path("models/templates/" + name + ".jinja"));
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

TEST(ChatPrompt, ChatMLTemplateRendersChatML) {
    const std::string qwen = read_template("Qwen-Qwen2.5-7B-Instruct");
    ASSERT_EQ(chat_format_for(qwen), ChatFormat::ChatML);
    EXPECT_EQ(render_chat_prompt(kConversation, qwen),
              "<|im_start|>system\nBe brief.<|im_end|>\n"
              "<|im_start|>user\nHi<|im_end|>\n"
              "<|im_start|>assistant\nHello!<|im_end|>\n"
              "<|im_start|>user\n你好<|im_end|>\n"
              "<|im_start|>assistant\n");
}

TEST(ChatPrompt, OtherOrMissingTemplatesRenderRolePrefixed) {
    const std::string llama = read_template("meta-llama-Llama-3.1-8B-Instruct");
    EXPECT_EQ(chat_format_for(llama), ChatFormat::RolePrefixed);
    EXPECT_EQ(chat_format_for(""), ChatFormat::RolePrefixed);
    const std::string expected =
        "System: Be brief.\nUser: Hi\nAssistant: Hello!\nUser: 你好\nAssistant:";
    EXPECT_EQ(render_chat_prompt(kConversation, llama), expected);
    EXPECT_EQ(render_chat_prompt(kConversation, ""), expected);
}

TEST(ChatPrompt, SingleUserMessage) {
    const std::vector<ChatMessage> hello = {{ChatRole::User, "Hello"}};
    EXPECT_EQ(render_chat_prompt(hello, ""), "User: Hello\nAssistant:");
    EXPECT_EQ(render_chat_prompt(hello, "{{ '<|im_start|>' }}"),
              "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n");
}

}  // namespace
}  // namespace assistd::api
