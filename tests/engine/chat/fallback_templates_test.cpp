// The fallback templates parse, render a conversation in their format, and are chosen from what
// the vocabulary holds.
#include "engine/chat/fallback_templates.h"

#include <gtest/gtest.h>

#include "engine/chat/chat_template.h"
#include "engine/tokenizer/load_tokenizer.h"

namespace assistd::chat {
namespace {

using assistd::testing::load_tokenizer;
using assistd::testing::vocab_path;

std::string render_fallback(FallbackFormat format, bool add_generation_prompt) {
    TemplateResult<ChatTemplate> parsed = ChatTemplate::parse(fallback_template(format));
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    if (!parsed) return "";
    ChatTemplateInputs inputs;
    inputs.messages = nlohmann::ordered_json::parse(R"([
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": " 你好 "},
        {"role": "assistant", "content": "Hi!"}, {"role": "user", "content": "Bye"}])");
    inputs.add_generation_prompt = add_generation_prompt;
    inputs.bos_token = "<BOS>";
    inputs.eos_token = "<EOS>";
    TemplateResult<std::string> rendered = parsed->render(inputs);
    EXPECT_TRUE(rendered.ok()) << rendered.error().message;
    return rendered ? *rendered : "";
}

TEST(FallbackTemplates, ChatML) {
    EXPECT_EQ(render_fallback(FallbackFormat::ChatML, true),
              "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n 你好 <|im_end|>\n"
              "<|im_start|>assistant\nHi!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n"
              "<|im_start|>assistant\n");
}

TEST(FallbackTemplates, Llama2PutsTheSystemPromptInTheFirstInstruction) {
    EXPECT_EQ(render_fallback(FallbackFormat::Llama2, true),
              "<BOS>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n你好 [/INST] Hi! <EOS><BOS>[INST] Bye "
              "[/INST]");
}

TEST(FallbackTemplates, Llama3) {
    EXPECT_EQ(render_fallback(FallbackFormat::Llama3, false),
              "<BOS><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
              "<|start_header_id|>user<|end_header_id|>\n\n你好<|eot_id|>"
              "<|start_header_id|>assistant<|end_header_id|>\n\nHi!<|eot_id|>"
              "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>");
}

TEST(FallbackTemplates, ChosenFromTheVocabulary) {
    EXPECT_EQ(fallback_format_for(load_tokenizer(vocab_path("qwen2")).vocab()),
              FallbackFormat::ChatML);
    EXPECT_EQ(fallback_format_for(load_tokenizer(vocab_path("llama-bpe")).vocab()),
              FallbackFormat::Llama3);
    EXPECT_EQ(fallback_format_for(load_tokenizer(vocab_path("llama-spm")).vocab()),
              FallbackFormat::Llama2);
    EXPECT_EQ(fallback_format_for(load_tokenizer(vocab_path("gpt-2")).vocab()),
              FallbackFormat::ChatML);
}

}  // namespace
}  // namespace assistd::chat
