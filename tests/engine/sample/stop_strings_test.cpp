#include "engine/sample/stop_strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace assistd {
namespace {

// Pushes the pieces one by one and returns everything released, with flush() unless stopped.
struct Streamed {
    std::vector<std::string> released;  // per push
    std::string all;
    bool stopped = false;
};

Streamed stream(StopStrings& stops, const std::vector<std::string>& pieces) {
    Streamed out;
    for (const std::string& piece : pieces) {
        StopStrings::Step step = stops.push(piece);
        out.released.push_back(step.text);
        out.all += step.text;
        if (step.stopped) {
            out.stopped = true;
            return out;
        }
    }
    out.all += stops.flush();
    return out;
}

TEST(StopStrings, NoStopsReleasesEverythingAtOnce) {
    StopStrings stops({});
    Streamed out = stream(stops, {"Hello", ", world"});
    EXPECT_EQ(out.released, (std::vector<std::string>{"Hello", ", world"}));
    EXPECT_FALSE(out.stopped);
}

TEST(StopStrings, StopInTheMiddleOfAPiece) {
    StopStrings stops({"</s>"});
    Streamed out = stream(stops, {"The end.</s> trailing", "never seen"});
    EXPECT_TRUE(out.stopped);
    EXPECT_EQ(out.all, "The end.");
    EXPECT_EQ(out.released.size(), 1u);
}

TEST(StopStrings, StopAcrossPieces) {
    StopStrings stops({"\nUser:"});
    Streamed out = stream(stops, {"Sure.", "\nUs", "er", ": next"});
    EXPECT_TRUE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{"Sure.", "", "", ""}));
    EXPECT_EQ(out.all, "Sure.");
}

TEST(StopStrings, PartialMatchThatFailsIsReleasedInFull) {
    StopStrings stops({"\nUser:"});
    Streamed out = stream(stops, {"a\nUs", "ually fine"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{"a", "\nUsually fine"}));
    EXPECT_EQ(out.all, "a\nUsually fine");
}

TEST(StopStrings, HeldPrefixIsReleasedByFlush) {
    StopStrings stops({"STOP"});
    Streamed out = stream(stops, {"almost ST"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{"almost "}));
    EXPECT_EQ(out.all, "almost ST");
}

TEST(StopStrings, OverlappingPrefixesHoldTheLongestPossibleMatch) {
    StopStrings stops({"abcd", "bcx", "abd"});
    // "abc" could still become "abcd"; "bc" could become "bcx"; neither completes.
    Streamed out = stream(stops, {"xabc", "y"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{"x", "abcy"}));
}

TEST(StopStrings, OverlappingStopsStopAtTheEarliestMatch) {
    StopStrings stops({"world", "o w"});
    Streamed out = stream(stops, {"hello", " world"});
    EXPECT_TRUE(out.stopped);
    EXPECT_EQ(out.all, "hell");
}

TEST(StopStrings, ShorterStopInsideLongerPrefixStops) {
    StopStrings stops({"abcdef", "cd"});
    Streamed out = stream(stops, {"ab", "cd"});
    EXPECT_TRUE(out.stopped);
    EXPECT_EQ(out.all, "ab");
}

TEST(StopStrings, ChineseCharacterSplitAcrossPiecesIsNeverSplit) {
    const std::string ni = "\xE4\xBD\xA0";   // 你
    const std::string hao = "\xE5\xA5\xBD";  // 好
    StopStrings stops({"\xE3\x80\x82"});     // 。
    Streamed out = stream(stops, {ni + hao.substr(0, 1), hao.substr(1, 1), hao.substr(2) + "!"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{ni, "", hao + "!"}));
}

TEST(StopStrings, EmojiIsNeverSplit) {
    const std::string smile = "\xF0\x9F\x98\x80";  // 😀
    StopStrings stops({"\n\n"});
    Streamed out = stream(stops, {"ok " + smile.substr(0, 3), smile.substr(3) + "\n", "x"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.released, (std::vector<std::string>{"ok ", smile, "\nx"}));
}

TEST(StopStrings, MultibyteStopString) {
    StopStrings stops({"\xE7\xBB\x93\xE6\x9D\x9F"});  // 结束
    Streamed out = stream(stops, {"\xE5\xA5\xBD\xE7\xBB", "\x93\xE6\x9D\x9F\xE4\xBA\x86"});
    EXPECT_TRUE(out.stopped);
    EXPECT_EQ(out.all, "\xE5\xA5\xBD");  // 好
}

TEST(StopStrings, InvalidUtf8IsNotHeldForever) {
    StopStrings stops({"zz"});
    Streamed out = stream(stops, {"a\xE4", "b"});  // a lead byte followed by ASCII
    EXPECT_EQ(out.released, (std::vector<std::string>{"a",
                                                      "\xE4"
                                                      "b"}));
}

TEST(StopStrings, NothingAfterAStop) {
    StopStrings stops({"."});
    EXPECT_TRUE(stops.push("a.b").stopped);
    StopStrings::Step after = stops.push("more");
    EXPECT_TRUE(after.stopped);
    EXPECT_EQ(after.text, "");
    EXPECT_EQ(stops.flush(), "");
}

TEST(StopStrings, EmptyStopStringIsIgnored) {
    StopStrings stops({""});
    Streamed out = stream(stops, {"text"});
    EXPECT_FALSE(out.stopped);
    EXPECT_EQ(out.all, "text");
}

}  // namespace
}  // namespace assistd
