#include "api/recorded_answer.h"

#include <gtest/gtest.h>

namespace assistd::api {
namespace {

RecordedAnswer two_choices() {
    RecordedChoice first;
    first.pieces = {{"Once", {{5, -0.25f, {{5, -0.25f}, {9, -1.5f}}}}},
                    {" upon 你好", {{7, -0.125f, {}}, {8, -2.0f, {}}}}};
    first.stats = {.n_prompt = 4, .n_cached = 2, .n_generated = 3, .finish = FinishReason::Length};
    RecordedChoice second;
    second.pieces = {{"", {}}, {"The end", {}}};
    second.stats = {.n_prompt = 4, .n_generated = 2, .finish = FinishReason::Stop};
    return {first, second};
}

TEST(RecordedAnswer, SurvivesEncodingPieceByPiece) {
    const RecordedAnswer answer = two_choices();
    std::optional<RecordedAnswer> decoded = decode_recorded_answer(encode_recorded_answer(answer));
    ASSERT_TRUE(decoded);
    ASSERT_EQ(decoded->size(), 2u);
    for (size_t c = 0; c < answer.size(); ++c) {
        const RecordedChoice& want = answer[c];
        const RecordedChoice& got = (*decoded)[c];
        EXPECT_EQ(got.stats.n_prompt, want.stats.n_prompt);
        EXPECT_EQ(got.stats.n_cached, want.stats.n_cached);
        EXPECT_EQ(got.stats.n_generated, want.stats.n_generated);
        EXPECT_EQ(got.stats.finish, want.stats.finish);
        ASSERT_EQ(got.pieces.size(), want.pieces.size());
        for (size_t p = 0; p < want.pieces.size(); ++p) {
            EXPECT_EQ(got.pieces[p].text, want.pieces[p].text);
            ASSERT_EQ(got.pieces[p].tokens.size(), want.pieces[p].tokens.size());
            for (size_t t = 0; t < want.pieces[p].tokens.size(); ++t) {
                EXPECT_EQ(got.pieces[p].tokens[t].token, want.pieces[p].tokens[t].token);
                EXPECT_EQ(got.pieces[p].tokens[t].logprob, want.pieces[p].tokens[t].logprob);
                EXPECT_EQ(got.pieces[p].tokens[t].top, want.pieces[p].tokens[t].top);
            }
        }
    }
}

TEST(RecordedAnswer, CompletedChoicesJoinThePieces) {
    std::vector<CompletedChoice> choices = completed_choices(two_choices());
    ASSERT_EQ(choices.size(), 2u);
    EXPECT_EQ(choices[0].text, "Once upon 你好");
    EXPECT_EQ(choices[0].tokens.size(), 3u);
    EXPECT_EQ(choices[1].text, "The end");
    EXPECT_EQ(choices[0].stats.finish, FinishReason::Length);
}

TEST(RecordedAnswer, RefusesBytesItDoesNotFullyUnderstand) {
    const std::string good = encode_recorded_answer(two_choices());
    for (const std::string& bad :
         {std::string(""), std::string("not json"), good.substr(0, good.size() / 2),
          std::string(R"({"choices":[]})"),
          std::string(R"({"choices":[{"pieces":[],"finish":"cancelled","n_prompt":1,)"
                      R"("n_cached":0,"n_generated":0}]})"),
          std::string(R"({"choices":[{"pieces":[["a",[["x",0,[]]]]],"finish":"stop",)"
                      R"("n_prompt":1,"n_cached":0,"n_generated":1}]})"),
          std::string(R"({"choices":[{"pieces":[["a",[]]],"finish":"stop","n_prompt":-1,)"
                      R"("n_cached":0,"n_generated":1}]})")}) {
        EXPECT_FALSE(decode_recorded_answer(bad)) << bad;
    }
}

}  // namespace
}  // namespace assistd::api
