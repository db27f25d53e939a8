// UTF-8 validation, decoding and the streaming helpers.
#include "engine/tokenizer/utf8.h"

#include <gtest/gtest.h>

namespace assistd {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_TRUE(utf8::validate("hello 你好 🦙 ё").ok());
    EXPECT_TRUE(utf8::validate("").ok());
}

TEST(Utf8, RejectsIllFormedSequencesNamingTheByte) {
    for (const std::string bad :
         {"\xFF", "ab\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xBD", "\x80"}) {
        auto result = utf8::validate(bad);
        ASSERT_FALSE(result.ok()) << bad;
        EXPECT_NE(result.error().message.find("byte"), std::string::npos);
    }
    EXPECT_EQ(utf8::first_invalid("ab\xC3"), 2u);
}

TEST(Utf8, DecodesAndEncodesCodePoints) {
    const std::vector<uint32_t> expected = {0x61, 0x4F60, 0x1F999, 0x451};
    EXPECT_EQ(utf8::decode("a你🦙ё"), expected);
    std::string text;
    for (const uint32_t cp : expected) utf8::append(text, cp);
    EXPECT_EQ(text, "a你🦙ё");
}

TEST(Utf8, IncompleteTailCountsOnlyBytesThatCanStillComplete) {
    EXPECT_EQ(utf8::incomplete_tail("abc"), 0u);
    EXPECT_EQ(utf8::incomplete_tail("a\xE4"), 1u);         // first byte of 你
    EXPECT_EQ(utf8::incomplete_tail("a\xE4\xBD"), 2u);     // two of three
    EXPECT_EQ(utf8::incomplete_tail("\xF0\x9F\xA6"), 3u);  // three of four (🦙)
    EXPECT_EQ(utf8::incomplete_tail("你"), 0u);
    EXPECT_EQ(utf8::incomplete_tail("a\xE0\x80"), 0u);  // overlong: can never complete
    EXPECT_EQ(utf8::incomplete_tail("a\xFF"), 0u);
}

TEST(Utf8, MakeValidReplacesEachBadByte) {
    EXPECT_EQ(utf8::make_valid("a\xFF"
                               "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(utf8::make_valid("你好"), "你好");
}

}  // namespace
}  // namespace assistd
