#include "api/chat_prompt.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/tokenizer/load_tokenizer.h"
#include "support/shared_data.h"

namespace assistd::api {
namespace {

using testing::load_tokenizer;
using testing::vocab_path;

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

std::string rendered(const ApiResult<std::string>& prompt) {
    EXPECT_TRUE(prompt.ok()) << prompt.error().message;
    return prompt.ok() ? *prompt : "";
}

TEST(ChatPrompt, ModelTemplateRendersWithGenerationPrompt) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    EXPECT_EQ(rendered(render_chat_prompt(kConversation, read_template("Qwen-Qwen2.5-7B-Instruct"),
                                          qwen)),
              "<|im_start|>system\nBe brief.<|im_end|>\n"
              "<|im_start|>user\nHi<|im_end|>\n"
              "<|im_start|>assistant\nHello!<|im_end|>\n"
              "<|im_start|>user\n你好<|im_end|>\n"
              "<|im_start|>assistant\n");
}

TEST(ChatPrompt, TemplateGetsTheVocabularysBosText) {
    const Tokenizer llama3 = load_tokenizer(vocab_path("llama-bpe"));
    const std::string prompt = rendered(render_chat_prompt(
        kConversation, read_template("meta-llama-Llama-3.1-8B-Instruct"), llama3));
    EXPECT_EQ(prompt.rfind("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n", 0),
              0u)
        << prompt;
    EXPECT_NE(prompt.find("<|start_header_id|>user<|end_header_id|>\n\n你好<|eot_id|>"
                          "<|start_header_id|>assistant<|end_header_id|>\n\n"),
              std::string::npos)
        << prompt;
}

TEST(ChatPrompt, RaisedTemplateErrorIsA400WithItsMessage) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    ApiResult<std::string> prompt =
        render_chat_prompt(kConversation, read_template("google-gemma-2-2b-it"), spm);
    ASSERT_FALSE(prompt.ok());
    EXPECT_EQ(prompt.error().status, 400);
    EXPECT_EQ(prompt.error().type, "invalid_request_error");
    EXPECT_EQ(prompt.error().param, "messages");
    EXPECT_EQ(prompt.error().message, "System role not supported");
}

TEST(ChatPrompt, TemplateSyntaxErrorIsA400NamingTheLine) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    ApiResult<std::string> prompt = render_chat_prompt(kConversation, "line one\n{% if %}", spm);
    ASSERT_FALSE(prompt.ok());
    EXPECT_EQ(prompt.error().status, 400);
    EXPECT_NE(prompt.error().message.find("(line 2)"), std::string::npos) << prompt.error().message;
}

TEST(ChatPrompt, MissingTemplateFallsBackByVocabulary) {
    const std::vector<ChatMessage> hello = {{ChatRole::System, "Be brief."},
                                            {ChatRole::User, "Hello"}};
    EXPECT_EQ(rendered(render_chat_prompt(hello, "", load_tokenizer(vocab_path("qwen2")))),
              "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
              "<|im_start|>assistant\n");
    EXPECT_EQ(rendered(render_chat_prompt(hello, "", load_tokenizer(vocab_path("llama-spm")))),
              "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello [/INST]");
    EXPECT_EQ(rendered(render_chat_prompt(hello, "", load_tokenizer(vocab_path("llama-bpe")))),
              "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
              "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
              "<|start_header_id|>assistant<|end_header_id|>\n\n");
    EXPECT_EQ(rendered(render_chat_prompt(hello, "", load_tokenizer(vocab_path("gpt-2")))),
              "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
              "<|im_start|>assistant\n");
}

}  // namespace
}  // namespace assistd::api
