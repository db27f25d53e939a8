// StreamingDecoder: generated ids pushed one by one give valid UTF-8 pieces that add up to the
// text.
#include "engine/tokenizer/streaming_decoder.h"

#include <gtest/gtest.h>

#include "engine/tokenizer/utf8.h"
#include "load_tokenizer.h"

namespace assistd {
namespace {

using testing::load_tokenizer;
using testing::vocab_path;

const std::vector<std::string> kTexts = {
    "你好，世界！今天天气怎么样？",
    "日本語のテキスト",
    "안녕하세요",
    "مرحبا بالعالم",
    "Привет, мир",
    "family 👨‍👩‍👧 and 🦙 ✅",
    "tabs\tand\n\nnewlines  ",
};

// Streams `ids` and checks every piece; returns the pieces concatenated, flush included.
std::string stream_all(const Tokenizer& tokenizer, const std::vector<int32_t>& ids) {
    StreamingDecoder stream(tokenizer);
    std::string text;
    for (const int32_t id : ids) {
        const std::string piece = stream.push(id);
        EXPECT_EQ(utf8::first_invalid(piece), piece.size()) << "invalid UTF-8 after id " << id;
        text += piece;
    }
    text += stream.flush();
    return text;
}

class StreamingDecoderVocabs : public ::testing::TestWithParam<std::string> {};

TEST_P(StreamingDecoderVocabs, PiecesAreValidAndConcatenateToTheText) {
    const Tokenizer tokenizer = load_tokenizer(GetParam());
    const bool spm = tokenizer.vocab().type() == VocabType::Spm;
    for (const std::string& text : kTexts) {
        auto ids = tokenizer.encode(text, false);
        ASSERT_TRUE(ids.ok());
        // SPM: the stream keeps the space encode put in front (it continues a prompt).
        EXPECT_EQ(stream_all(tokenizer, *ids), spm ? " " + text : text);
    }
}

INSTANTIATE_TEST_SUITE_P(Vocabs, StreamingDecoderVocabs,
                         ::testing::Values("models/llm/stories260K.gguf", vocab_path("llama-spm"),
                                           vocab_path("qwen2"), vocab_path("llama-bpe"),
                                           vocab_path("gpt-2")),
                         [](const auto& info) {
                             std::string name = info.param.substr(info.param.rfind('/') + 1);
                             name = name.substr(0, name.find(".gguf"));
                             for (char& c : name)
                                 c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             return name;
                         });

TEST(StreamingDecoder, HoldsBackBytesUntilTheCharacterIsComplete) {
    const Tokenizer stories = load_tokenizer("models/llm/stories260K.gguf");
    const auto e4 = stories.vocab().find("<0xE4>");
    const auto bd = stories.vocab().find("<0xBD>");
    const auto a0 = stories.vocab().find("<0xA0>");
    StreamingDecoder stream(stories);
    EXPECT_EQ(stream.push(e4), "");
    EXPECT_EQ(stream.push(bd), "");
    EXPECT_EQ(stream.push(a0), "你");
    EXPECT_EQ(stream.flush(), "");
}

TEST(StreamingDecoder, FlushAndImpossibleBytesGiveReplacementCharacters) {
    const Tokenizer stories = load_tokenizer("models/llm/stories260K.gguf");
    StreamingDecoder stream(stories);
    EXPECT_EQ(stream.push(stories.vocab().find("<0xFF>")), "\xEF\xBF\xBD");  // never valid
    EXPECT_EQ(stream.push(stories.vocab().find("<0xE4>")), "");
    EXPECT_EQ(stream.flush(), "\xEF\xBF\xBD");  // cut short at the end of generation
}

TEST(StreamingDecoder, ControlTokensRenderOnlyWhenAskedFor) {
    const Tokenizer qwen = load_tokenizer(vocab_path("qwen2"));
    StreamingDecoder plain(qwen);
    EXPECT_EQ(plain.push(151645), "");
    StreamingDecoder special(qwen, /*special=*/true);
    EXPECT_EQ(special.push(151645), "<|im_end|>");
}

}  // namespace
}  // namespace assistd
