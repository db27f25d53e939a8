// Tokenizer behaviour beyond the llama.cpp vectors: model prompts, special tokens, byte fallback,
// multilingual round trips, long inputs, invalid input.
#include "engine/tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include <chrono>

#include "load_tokenizer.h"

namespace assistd {
namespace {

using testing::load_tokenizer;
using testing::vocab_path;

std::vector<int32_t> encode(const Tokenizer& tokenizer, std::string_view text, bool add_bos,
                            bool parse_special = true) {
    auto ids = tokenizer.encode(text, add_bos, parse_special);
    EXPECT_TRUE(ids.ok()) << ids.error().message;
    return ids.ok() ? *ids : std::vector<int32_t>{};
}

std::string decode(const Tokenizer& tokenizer, std::span<const int32_t> ids, bool special = false) {
    auto text = tokenizer.decode(ids, special);
    EXPECT_TRUE(text.ok()) << text.error().message;
    return text.ok() ? *text : std::string{};
}

const std::vector<std::string>& multilingual_texts() {
    static const std::vector<std::string> texts = {
        "你好，世界！今天天气怎么样？我想学习人工智能。",
        "日本語のテキストとカタカナ、ひらがな。",
        "안녕하세요, 세계! 한국어 문장입니다.",
        "مرحبا بالعالم، هذا نص عربي.",
        "Привет, мир! Съешь же ещё этих мягких французских булок.",
        "family 👨‍👩‍👧 flags 🇨🇳 and 🦙🦙 emoji ✅",
        "def f(x):\n\treturn x  *  2\n\n\n    # tabs\tand   spaces   \n",
        "   leading and trailing spaces   ",
        "\n\n\nnewlines\r\n\r\nmixed\n",
        "Ünïcödé ñ café naïve Cửa Việt",
    };
    return texts;
}

TEST(Tokenizer, StoriesPromptsMatchTheirModels) {
    const Tokenizer stories = load_tokenizer("models/llm/stories260K.gguf");
    EXPECT_EQ(encode(stories, "Once upon a time", stories.add_bos_default()),
              (std::vector<int32_t>{1, 403, 407, 261, 378}));
    EXPECT_EQ(stories.n_vocab(), 512);
    EXPECT_EQ(stories.bos(), 1);
    EXPECT_EQ(stories.eos(), 2);
    EXPECT_TRUE(stories.is_end_of_generation(2));
    const Tokenizer tiny = load_tokenizer("models/llm/TinyStories-656K-Q8_0.gguf");
    EXPECT_TRUE(tiny.add_bos_default());
    EXPECT_EQ(encode(tiny, "Once upon a time", true),
              (std::vector<int32_t>{1, 80, 147, 201, 282, 57}));
}

TEST(Tokenizer, SmallSpmVocabFallsBackToBytesForChinese) {
    const Tokenizer stories = load_tokenizer("models/llm/stories260K.gguf");
    const std::string text = "你好，世界";
    const auto ids = encode(stories, text, false);
    ASSERT_FALSE(ids.empty());
    // "▁" then one <0xNN> token per UTF-8 byte: 你 is E4 BD A0.
    EXPECT_EQ(stories.vocab().token(ids[1]).text, "<0xE4>");
    EXPECT_EQ(ids.size(), 1 + text.size());
    for (size_t i = 1; i < ids.size(); ++i) {
        EXPECT_TRUE(stories.vocab().token(ids[i]).text.starts_with("<0x")) << i;
    }
    EXPECT_EQ(decode(stories, ids), text);
}

// llama.cpp's detokenize drops one leading space of the first piece for SPM (the space encode
// added), so without BOS the text comes back as it was; after a BOS rendered as nothing the
// space stays.
TEST(Tokenizer, SpmRoundTripDropsTheAddedSpaceOnly) {
    const Tokenizer llama = load_tokenizer(vocab_path("llama-spm"));
    for (const std::string& text : multilingual_texts()) {
        EXPECT_EQ(decode(llama, encode(llama, text, false)), text);
        EXPECT_EQ(decode(llama, encode(llama, text, true)), " " + text);
        EXPECT_EQ(decode(llama, encode(llama, text, true), true), "<s> " + text);
    }
}

class BpeRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(BpeRoundTrip, DecodeOfEncodeIsTheText) {
    const Tokenizer tokenizer = load_tokenizer(vocab_path(GetParam()));
    for (const std::string& text : multilingual_texts()) {
        EXPECT_EQ(decode(tokenizer, encode(tokenizer, text, false)), text);
    }
}

INSTANTIATE_TEST_SUITE_P(AllByteLevelVocabs, BpeRoundTrip,
                         ::testing::Values("gpt-2", "qwen2", "llama-bpe", "deepseek-llm",
                                           "deepseek-coder", "falcon", "mpt", "starcoder",
                                           "refact"),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name) c = c == '-' ? '_' : c;
                             return name;
                         });

TEST(Tokenizer, LongRepeatsAreFastAndExact) {
    const std::string as(5000, 'a');
    std::string de;
    for (int i = 0; i < 2000; ++i) de += "的";
    const auto start = std::chrono::steady_clock::now();
    for (const std::string name : {"qwen2", "llama-bpe", "gpt-2", "llama-spm", "bert-bge"}) {
        const Tokenizer tokenizer = load_tokenizer(vocab_path(name));
        for (const std::string& text : {as, de}) {
            const auto ids = encode(tokenizer, text, false);
            EXPECT_FALSE(ids.empty());
            if (name != "bert-bge") {
                EXPECT_EQ(decode(tokenizer, ids), text) << name;
            }
        }
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    EXPECT_LT(seconds.count(), 30.0);  // quadratic merging would take minutes
}

TEST(Tokenizer, QwenSpecialTokensInText) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    const auto ids = encode(qwen, "<|im_start|>user\n你好<|im_end|>", false);
    ASSERT_GE(ids.size(), 3u);
    EXPECT_EQ(ids.front(), 151644);
    EXPECT_EQ(ids.back(), 151645);
    const auto inner = encode(qwen, "user\n你好", false);
    EXPECT_EQ(std::vector<int32_t>(ids.begin() + 1, ids.end() - 1), inner);
    EXPECT_EQ(decode(qwen, ids, true), "<|im_start|>user\n你好<|im_end|>");
    EXPECT_EQ(decode(qwen, ids), "user\n你好");

    const auto plain = encode(qwen, "<|im_start|>user", false, /*parse_special=*/false);
    EXPECT_EQ(std::count(plain.begin(), plain.end(), 151644), 0);
    EXPECT_GT(plain.size(), 2u);
    EXPECT_EQ(decode(qwen, plain), "<|im_start|>user");
    // User-defined tokens are matched even without parse_special, as in llama.cpp.
    EXPECT_EQ(encode(qwen, "<think>", false, false), (std::vector<int32_t>{151667}));
}

// llama.cpp marks Phi-3's added tokens (not <s>, <unk>, <|endoftext|>) as swallowing the
// whitespace after them, and SPM puts the space prefix after every special token.
TEST(Tokenizer, Phi3SpecialTokensSwallowFollowingWhitespace) {
    const Tokenizer phi = load_tokenizer(vocab_path("phi-3"));
    EXPECT_EQ(encode(phi, "<|user|>\nHi<|end|>\n<|assistant|>", true),
              (std::vector<int32_t>{1, 32010, 6324, 32007, 32001}));
    EXPECT_EQ(encode(phi, "<s>Hi</s> x", false), (std::vector<int32_t>{1, 6324, 2, 921}));
}

TEST(Tokenizer, EndOfGenerationSetAndSpecialIds) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    EXPECT_FALSE(qwen.add_bos_default());
    EXPECT_EQ(qwen.bos(), 151643);
    EXPECT_EQ(qwen.eos(), 151645);
    EXPECT_TRUE(qwen.is_end_of_generation(151645));  // <|im_end|>
    EXPECT_TRUE(qwen.is_end_of_generation(151643));  // <|endoftext|>
    EXPECT_FALSE(qwen.is_end_of_generation(151644));
    EXPECT_FALSE(qwen.is_end_of_generation(-1));
    EXPECT_EQ(qwen.token_to_piece(151645), "");
    EXPECT_EQ(qwen.token_to_piece(151645, true), "<|im_end|>");
    EXPECT_EQ(qwen.token_to_piece(151667), "<think>");  // user-defined: always rendered

    const Tokenizer llama3 = load_tokenizer(vocab_path("llama-bpe"));
    EXPECT_TRUE(llama3.add_bos_default());
    EXPECT_EQ(encode(llama3, "Hi", true).front(), 128000);
    EXPECT_TRUE(llama3.is_end_of_generation(128009));  // <|eot_id|>
    EXPECT_TRUE(llama3.is_end_of_generation(128008));  // <|eom_id|>
}

TEST(Tokenizer, WordPieceWrapsInClsSepAndJoinsPieces) {
    const Tokenizer bert = load_tokenizer(vocab_path("bert-bge"));
    const auto ids = encode(bert, "Hello world", true);
    ASSERT_EQ(ids.size(), 4u);
    EXPECT_EQ(ids.front(), 101);
    EXPECT_EQ(ids.back(), 102);
    EXPECT_EQ(decode(bert, std::span(ids).subspan(1, 2)), " hello world");
}

// U+0085 is whitespace to llama.cpp's pre-tokenizers (PCRE2's \s alone would miss it): it must
// split like the other non-ASCII spaces, e.g. U+2028.
TEST(Tokenizer, NextLineSplitsLikeOtherUnicodeSpaces) {
    const Tokenizer gpt2 = load_tokenizer(vocab_path("gpt-2"));
    const auto nel = encode(gpt2, "a\u0085\u0085b", false);
    const auto line_separator = encode(gpt2, "a\u2028\u2028b", false);
    EXPECT_EQ(nel.size(), line_separator.size());
    EXPECT_EQ(decode(gpt2, nel), "a\u0085\u0085b");
}

TEST(Tokenizer, RejectsInvalidInput) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    for (const std::string bad : {"ab\xFF", "\xC3", "\xED\xA0\x80", "x\xE4\xBD"}) {
        auto ids = qwen.encode(bad, false);
        ASSERT_FALSE(ids.ok());
        EXPECT_NE(ids.error().message.find("UTF-8"), std::string::npos);
    }
    const std::vector<int32_t> out_of_range = {1, qwen.n_vocab()};
    EXPECT_FALSE(qwen.decode(out_of_range).ok());
    EXPECT_FALSE(qwen.decode(std::vector<int32_t>{-1}).ok());
    EXPECT_EQ(qwen.token_to_piece(-5), "");
}

}  // namespace
}  // namespace assistd
