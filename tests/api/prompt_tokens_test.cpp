#include "api/prompt_tokens.h"

#include <gtest/gtest.h>

#include "api/chat_prompt.h"
#include "engine/tokenizer/load_tokenizer.h"

namespace assistd::api {
namespace {

using testing::load_tokenizer;
using testing::vocab_path;

const char* kChatML =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] "
    "+ '<|im_end|>\\n' }}{% endfor %}{{ '<|im_start|>assistant\\n' }}";

ChatRequest chat_with(std::string content, int64_t max_tokens = -1) {
    ChatRequest request;
    request.messages = {{ChatRole::User, std::move(content)}};
    request.generation.params.max_tokens = max_tokens > 0 ? max_tokens : 4096;
    request.generation.max_tokens_given = max_tokens > 0;
    return request;
}

TEST(PromptTokens, ChatMLControlTokensBecomeTheirIds) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    ChatRequest request = chat_with("你好");
    ApiResult<std::vector<int32_t>> ids = chat_prompt_tokens(request, qwen, kChatML, 4096);
    ASSERT_TRUE(ids.ok()) << ids.error().message;
    Result<std::vector<int32_t>> im_start = qwen.encode("<|im_start|>", false, true);
    ASSERT_TRUE(im_start.ok());
    ASSERT_EQ(im_start->size(), 1u);
    EXPECT_EQ(ids->front(), im_start->front());
    ApiResult<std::string> text = render_chat_prompt(request.messages, kChatML, qwen);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(qwen.decode(*ids, true).value(), *text);
    // Not asked for: max_tokens is capped to the room the prompt leaves.
    EXPECT_EQ(request.generation.params.max_tokens, 4096 - static_cast<int64_t>(ids->size()));
}

TEST(PromptTokens, PromptThatFillsTheContextIsRefused) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    ChatRequest request = chat_with(std::string(200, 'a') + " " + std::string(200, 'b'));
    ApiResult<std::vector<int32_t>> ids = chat_prompt_tokens(request, spm, "", 16);
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.error().status, 400);
    EXPECT_EQ(ids.error().param, "messages");
    EXPECT_NE(ids.error().message.find("maximum context length is 16 tokens"), std::string::npos)
        << ids.error().message;
}

TEST(PromptTokens, ExplicitMaxTokensBeyondTheContextIsRefused) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    ChatRequest request = chat_with("Hi", 100);
    ApiResult<std::vector<int32_t>> ids = chat_prompt_tokens(request, spm, "", 64);
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.error().param, "max_tokens");
    EXPECT_NE(ids.error().message.find("in the messages, 100 in the completion"), std::string::npos)
        << ids.error().message;

    ChatRequest fits = chat_with("Hi", 10);
    ASSERT_TRUE(chat_prompt_tokens(fits, spm, "", 64).ok());
    EXPECT_EQ(fits.generation.params.max_tokens, 10);
}

TEST(PromptTokens, CompletionPromptsEncodedOrTakenAsGiven) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    CompletionRequest request;
    request.prompts = {std::string("Once upon a time"), std::vector<int32_t>{1, 100, 200}};
    request.generation.params.max_tokens = 16;
    ApiResult<std::vector<std::vector<int32_t>>> prompts =
        completion_prompt_tokens(request, spm, 512);
    ASSERT_TRUE(prompts.ok()) << prompts.error().message;
    ASSERT_EQ(prompts->size(), 2u);
    EXPECT_EQ((*prompts)[0], spm.encode("Once upon a time", true).value());
    EXPECT_EQ((*prompts)[0].front(), spm.bos());
    EXPECT_EQ((*prompts)[1], (std::vector<int32_t>{1, 100, 200}));
    EXPECT_EQ(request.generation.params.max_tokens, 16);
}

TEST(PromptTokens, CompletionContextCheckNamesPrompt) {
    const Tokenizer spm = load_tokenizer(vocab_path("llama-spm"));
    CompletionRequest request;
    request.prompts = {std::vector<int32_t>(32, 100)};
    ApiResult<std::vector<std::vector<int32_t>>> prompts =
        completion_prompt_tokens(request, spm, 32);
    ASSERT_FALSE(prompts.ok());
    EXPECT_EQ(prompts.error().param, "prompt");
}

TEST(PromptTokens, EchoTextsDecodeTokenPrompts) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    CompletionRequest request;
    request.prompts = {std::string("plain"), qwen.encode("你好，世界", false).value()};
    EXPECT_EQ(echo_texts(request, qwen), (std::vector<std::string>{"", ""}));
    request.echo = true;
    EXPECT_EQ(echo_texts(request, qwen), (std::vector<std::string>{"plain", "你好，世界"}));
}

}  // namespace
}  // namespace assistd::api
