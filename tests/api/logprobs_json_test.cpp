// The logprobs objects of chat and text completions, on a real byte-level BPE vocabulary (Qwen2)
// whose tokens can hold part of a Chinese character.
#include "api/logprobs_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/chat_response.h"
#include "api/completion_response.h"
#include "api_test_support.h"
#include "engine/tokenizer/load_tokenizer.h"

namespace assistd::api {
namespace {

const Tokenizer& qwen() {
    static const Tokenizer tokenizer =
        assistd::testing::load_tokenizer(assistd::testing::vocab_path("qwen2"));
    return tokenizer;
}

int32_t id_of(const std::string& text) {
    Result<std::vector<int32_t>> ids = qwen().encode(text, false);
    EXPECT_TRUE(ids.ok());
    EXPECT_EQ(ids->size(), 1u) << text;
    return ids->front();
}

// The token that is the single byte 0xE4, the first byte of 你 (E4 BD A0).
int32_t lead_byte_token() {
    for (int32_t id = 0; id < qwen().n_vocab(); ++id) {
        if (qwen().token_to_piece(id) == "\xe4") return id;
    }
    ADD_FAILURE() << "no single-byte token 0xE4";
    return 0;
}

TEST(LogprobsJson, TokenTextIsUtf8OrEscapedBytes) {
    EXPECT_EQ(token_text(qwen(), id_of("Hello")), "Hello");
    EXPECT_EQ(token_text(qwen(), id_of("你好")), "你好");
    EXPECT_EQ(token_text(qwen(), lead_byte_token()), "bytes:\\xe4");
}

TEST(LogprobsJson, ChatContentHasBytesAndAlternatives) {
    const int32_t hello = id_of("Hello");
    const int32_t hi = id_of("Hi");
    const std::vector<TokenChoice> tokens = {
        {hello, -0.25f, {{hello, -0.25f}, {hi, -1.5f}}},
        {lead_byte_token(), -3.0f, {}},
    };
    const nlohmann::json expected = nlohmann::json::parse(R"({
        "content": [
          {"token": "Hello", "logprob": -0.25, "bytes": [72, 101, 108, 108, 111],
           "top_logprobs": [{"token": "Hello", "logprob": -0.25, "bytes": [72, 101, 108, 108, 111]},
                            {"token": "Hi", "logprob": -1.5, "bytes": [72, 105]}]},
          {"token": "bytes:\\xe4", "logprob": -3.0, "bytes": [228], "top_logprobs": []}],
        "refusal": null})");
    EXPECT_EQ(chat_logprobs_json(qwen(), tokens), expected);
}

TEST(LogprobsJson, CompletionOffsetsContinueAcrossCalls) {
    const int32_t ni_hao = id_of("你好");
    const int32_t comma = id_of("，");
    size_t offset = 2;  // after an echoed prompt of two bytes
    nlohmann::json first = completion_logprobs_json(
        qwen(), std::vector<TokenChoice>{{ni_hao, -0.5f, {{ni_hao, -0.5f}}}}, offset);
    EXPECT_EQ(first, nlohmann::json::parse(R"({"tokens": ["你好"], "token_logprobs": [-0.5],
                                              "top_logprobs": [{"你好": -0.5}],
                                              "text_offset": [2]})"));
    nlohmann::json second =
        completion_logprobs_json(qwen(), std::vector<TokenChoice>{{comma, -1.0f, {}}}, offset);
    EXPECT_EQ(second["text_offset"], nlohmann::json::array({8}));  // 2 + the 6 bytes of 你好
    EXPECT_EQ(offset, 11u);
}

const ResponseMeta kMeta{.id = "x", .created = 1, .model = "qwen", .system_fingerprint = "fp_0"};

TEST(LogprobsJson, ChatStreamCarriesLogprobsOnTextChunksOnly) {
    ChatStream stream(kMeta, 1, false, &qwen());
    const std::vector<TokenChoice> tokens = {{id_of("Hello"), -0.25f, {}}};
    std::string frames = stream.piece(0, "Hello", tokens);
    frames += stream.finished(0, testing::stats_of(1, 1, FinishReason::Stop));
    std::vector<nlohmann::json> events = testing::events_of(frames);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_TRUE(events[0]["choices"][0]["logprobs"].is_null());  // the role chunk
    EXPECT_EQ(events[1]["choices"][0]["logprobs"]["content"][0]["token"], "Hello");
    EXPECT_TRUE(events[2]["choices"][0]["logprobs"].is_null());  // the finish chunk
}

TEST(LogprobsJson, BodiesWithAndWithoutLogprobs) {
    const std::vector<CompletedChoice> choices = {
        {"Hello", {{id_of("Hello"), -0.25f, {}}}, testing::stats_of(1, 1, FinishReason::Stop)}};
    const Usage usage = usage_of(1, choices);
    nlohmann::json chat =
        nlohmann::json::parse(chat_completion_body(kMeta, choices, usage, &qwen()));
    EXPECT_EQ(chat["choices"][0]["logprobs"]["content"][0]["logprob"], -0.25);
    nlohmann::json plain =
        nlohmann::json::parse(chat_completion_body(kMeta, choices, usage, nullptr));
    EXPECT_TRUE(plain["choices"][0]["logprobs"].is_null());

    const std::vector<std::string> echo = {"Hi"};
    nlohmann::json text =
        nlohmann::json::parse(text_completion_body(kMeta, choices, echo, 1, usage, &qwen()));
    EXPECT_EQ(text["choices"][0]["text"], "HiHello");
    EXPECT_EQ(text["choices"][0]["logprobs"]["text_offset"], nlohmann::json::array({2}));
}

TEST(LogprobsJson, CompletionStreamOffsetsStartAfterTheEcho) {
    CompletionStream stream(kMeta, {"你"}, 1, false, &qwen());
    const int32_t hao = id_of("好");
    std::string frames = stream.piece(0, "好", std::vector<TokenChoice>{{hao, -1.0f, {}}});
    frames += stream.piece(0, "好", std::vector<TokenChoice>{{hao, -2.0f, {}}});
    std::vector<nlohmann::json> events = testing::events_of(frames);
    EXPECT_EQ(events[0]["choices"][0]["logprobs"]["text_offset"], nlohmann::json::array({3}));
    EXPECT_EQ(events[1]["choices"][0]["logprobs"]["text_offset"], nlohmann::json::array({6}));
}

}  // namespace
}  // namespace assistd::api
