#include "api/chat_request.h"

#include <gtest/gtest.h>

#include "api_test_support.h"

namespace assistd::api {
namespace {

using testing::kLimits;

ChatRequest parse_ok(const std::string& body) {
    ApiResult<ChatRequest> request = parse_chat_request(body, kLimits);
    EXPECT_TRUE(request.ok()) << body << " → " << request.error().message;
    return request ? *request : ChatRequest{};
}

// Wraps `fields` into a request that is valid apart from them.
std::string with_fields(const std::string& fields) {
    return R"({"model": "stories", "messages": [{"role": "user", "content": "Hi"}])" +
           (fields.empty() ? "" : ", " + fields) + "}";
}

TEST(ChatRequest, MinimalRequestGetsOpenAIDefaults) {
    ChatRequest request = parse_ok(with_fields(""));
    ASSERT_EQ(request.messages.size(), 1u);
    EXPECT_EQ(request.messages[0], (ChatMessage{ChatRole::User, "Hi"}));
    const GenerationRequest& generation = request.generation;
    EXPECT_EQ(generation.model, "stories");
    EXPECT_FLOAT_EQ(generation.params.sampling.temperature, 1.0f);
    EXPECT_FLOAT_EQ(generation.params.sampling.top_p, 1.0f);
    EXPECT_EQ(generation.params.sampling.top_k, 0);
    EXPECT_FLOAT_EQ(generation.params.sampling.min_p, 0.0f);
    EXPECT_EQ(generation.params.max_tokens, 256);  // the limit, as default_max_tokens is 0
    EXPECT_FALSE(generation.max_tokens_given);
    EXPECT_EQ(generation.params.n_ctx, 512);
    EXPECT_EQ(generation.n, 1);
    EXPECT_FALSE(generation.stream);
    EXPECT_FALSE(generation.include_usage);
    EXPECT_FALSE(generation.seed.has_value());
    EXPECT_TRUE(generation.params.stop.empty());
    EXPECT_TRUE(validate(generation.params.sampling).ok());
}

TEST(ChatRequest, LogprobsAskForTheTopAlternatives) {
    const std::string messages =
        R"("model": "stories", "messages": [{"role": "user", "content": "Hi"}])";
    EXPECT_EQ(parse_ok("{" + messages + "}").generation.params.logprobs, -1);
    EXPECT_EQ(parse_ok("{" + messages + R"(, "logprobs": false})").generation.params.logprobs, -1);
    EXPECT_EQ(parse_ok("{" + messages + R"(, "logprobs": true})").generation.params.logprobs, 0);
    EXPECT_EQ(parse_ok("{" + messages + R"(, "logprobs": true, "top_logprobs": 20})")
                  .generation.params.logprobs,
              20);
}

TEST(ChatRequest, EveryAcceptedFieldIsRead) {
    ChatRequest request = parse_ok(R"({
        "model": "stories",
        "messages": [{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": "Hi", "name": "ann"},
                     {"role": "assistant", "content": "Hello", "refusal": null, "tool_calls": []},
                     {"role": "developer", "content": [{"type": "text", "text": "a"},
                                                       {"type": "text", "text": "b"}]}],
        "stream": true, "stream_options": {"include_usage": true},
        "max_completion_tokens": 20, "temperature": 0, "top_p": 0.5, "n": 3,
        "stop": ["\n", "END"], "seed": 42, "presence_penalty": 0.5, "frequency_penalty": -1,
        "logit_bias": {"7": -100, "9": 2.5}, "user": "u-1", "metadata": {"k": "v"},
        "store": false, "logprobs": false, "top_logprobs": 0, "tools": [], "tool_choice": "none",
        "parallel_tool_calls": true, "response_format": {"type": "text"}, "service_tier": "auto"
    })");
    const std::vector<ChatMessage> expected = {{ChatRole::System, "Be brief."},
                                               {ChatRole::User, "Hi"},
                                               {ChatRole::Assistant, "Hello"},
                                               {ChatRole::System, "a\nb"}};
    EXPECT_EQ(request.messages, expected);
    const GenerationRequest& generation = request.generation;
    EXPECT_TRUE(generation.stream);
    EXPECT_TRUE(generation.include_usage);
    EXPECT_EQ(generation.params.max_tokens, 20);
    EXPECT_TRUE(generation.max_tokens_given);
    EXPECT_FLOAT_EQ(generation.params.sampling.temperature, 0.0f);
    EXPECT_FLOAT_EQ(generation.params.sampling.top_p, 0.5f);
    EXPECT_EQ(generation.n, 3);
    EXPECT_EQ(generation.params.stop, (std::vector<std::string>{"\n", "END"}));
    EXPECT_EQ(generation.seed, 42u);
    EXPECT_EQ(generation.params.sampling.seed, 42u);
    EXPECT_FLOAT_EQ(generation.params.sampling.presence_penalty, 0.5f);
    EXPECT_FLOAT_EQ(generation.params.sampling.frequency_penalty, -1.0f);
    ASSERT_EQ(generation.params.sampling.logit_bias.size(), 2u);
    EXPECT_EQ(generation.params.sampling.logit_bias[0].token, 7);
    EXPECT_FLOAT_EQ(generation.params.sampling.logit_bias[0].bias, -100.0f);
    EXPECT_TRUE(validate(generation.params.sampling).ok());
}

TEST(ChatRequest, NullFieldsMeanAbsent) {
    ChatRequest request = parse_ok(with_fields(
        R"("temperature": null, "max_tokens": null, "stop": null, "seed": null, "n": null)"));
    EXPECT_FLOAT_EQ(request.generation.params.sampling.temperature, 1.0f);
    EXPECT_FALSE(request.generation.seed.has_value());
}

TEST(ChatRequest, MaxTokensAndDefaults) {
    EXPECT_EQ(parse_ok(with_fields(R"("max_tokens": 7)")).generation.params.max_tokens, 7);
    RequestLimits limits = kLimits;
    limits.default_max_tokens = 100;
    ApiResult<ChatRequest> request = parse_chat_request(with_fields(""), limits);
    ASSERT_TRUE(request.ok());
    EXPECT_EQ(request->generation.params.max_tokens, 100);
}

TEST(ChatRequest, SeedTakesAny64Bits) {
    EXPECT_EQ(parse_ok(with_fields(R"("seed": -1)")).generation.seed, UINT64_MAX);
    EXPECT_EQ(parse_ok(with_fields(R"("seed": 18446744073709551615)")).generation.seed, UINT64_MAX);
    EXPECT_EQ(parse_ok(with_fields(R"("seed": 0)")).generation.seed, 0u);
}

TEST(ChatRequest, ChineseTextIsKeptAsUtf8) {
    ChatRequest request = parse_ok(
        R"({"model": "stories", "messages": [{"role": "user", "content": "你好，世界"}],
            "stop": ["。"]})");
    EXPECT_EQ(request.messages[0].content, "你好，世界");
    EXPECT_EQ(request.generation.params.stop[0], "。");
    // Escaped and literal forms mean the same text.
    EXPECT_EQ(parse_ok(R"({"model": "stories", "messages": [{"role": "user",
                            "content": "\u4f60\u597d"}]})")
                  .messages[0]
                  .content,
              "你好");
}

TEST(ChatRequest, BodiesThatAreNotObjectsAreRefused) {
    for (const char* body : {"", "not json", "{\"model\": ", "[1, 2]", "\"text\"", "42", "null",
                             "{\"model\": \"stories\"} trailing", "{\"a\": \"\xff\xfe\"}",
                             // Found by api_request_fuzz: too large for a double, which
                             // nlohmann reports as out_of_range rather than a parse error.
                             "{\"model\": 2e9999}"}) {
        ApiResult<ChatRequest> request = parse_chat_request(body, kLimits);
        ASSERT_FALSE(request.ok()) << body;
        EXPECT_EQ(request.error().status, 400) << body;
        EXPECT_EQ(request.error().type, "invalid_request_error");
        EXPECT_EQ(request.error().param, "") << body;
    }
}

TEST(ChatRequest, HostileShapesAreRefusedWithoutCrashing) {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    const std::string bodies[] = {
        deep,
        with_fields(R"("stop": )" + deep),
        R"({"model": "stories", "messages": [{"role": "user", "content": [)" + deep + "]}]}",
        R"({"model": "stories", "messages": [{"role": "user", "content": [{"type": 5}]}]})",
        with_fields(R"("response_format": {"type": ["text"]})"),
        with_fields(R"("logit_bias": {"1": )" + deep + "}"),
        with_fields(R"("seed": ")" + std::string(100'000, 'x') + "\""),
    };
    for (const std::string& body : bodies) {
        ApiResult<ChatRequest> request = parse_chat_request(body, kLimits);
        ASSERT_FALSE(request.ok()) << body.substr(0, 80);
        EXPECT_EQ(request.error().status, 400);
        EXPECT_LT(request.error().message.size(), 400u) << request.error().message;
    }
}

TEST(ChatRequest, ModelMissingIs400AndUnknownIs404) {
    ApiResult<ChatRequest> missing =
        parse_chat_request(R"({"messages": [{"role": "user", "content": "Hi"}]})", kLimits);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().status, 400);
    EXPECT_EQ(missing.error().param, "model");

    ApiResult<ChatRequest> other = parse_chat_request(
        R"({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]})", kLimits);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error(), model_not_found("gpt-4o"));
}

struct BadField {
    const char* fields;  // added to a valid request (or the whole body when it has "messages")
    const char* param;
};

class ChatRequestRefuses : public ::testing::TestWithParam<BadField> {};

TEST_P(ChatRequestRefuses, NamingTheField) {
    const BadField& bad = GetParam();
    std::string fields = bad.fields;
    std::string body = fields.find("\"messages\"") != std::string::npos
                           ? R"({"model": "stories", )" + fields + "}"
                           : with_fields(fields);
    ApiResult<ChatRequest> request = parse_chat_request(body, kLimits);
    ASSERT_FALSE(request.ok()) << body;
    EXPECT_EQ(request.error().status, 400) << body;
    EXPECT_EQ(request.error().type, "invalid_request_error");
    EXPECT_EQ(request.error().param, bad.param) << body << " → " << request.error().message;
    EXPECT_NE(request.error().message.find(bad.param), std::string::npos)
        << request.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, ChatRequestRefuses,
    ::testing::Values(
        BadField{R"("temperature": 2.5)", "temperature"},
        BadField{R"("temperature": "hot")", "temperature"}, BadField{R"("top_p": 1.5)", "top_p"},
        BadField{R"("top_p": -0.1)", "top_p"}, BadField{R"("n": 0)", "n"},
        BadField{R"("n": 5)", "n"}, BadField{R"("n": 2.0)", "n"},
        BadField{R"("max_tokens": 0)", "max_tokens"},
        BadField{R"("max_tokens": 257)", "max_tokens"},
        BadField{R"("max_tokens": 1e30)", "max_tokens"},
        BadField{R"("max_tokens": "10")", "max_tokens"},
        BadField{R"("max_completion_tokens": 300)", "max_completion_tokens"},
        BadField{R"("max_tokens": 5, "max_completion_tokens": 5)", "max_completion_tokens"},
        BadField{R"("stop": ["a", "b", "c", "d", "e"])", "stop"}, BadField{R"("stop": "")", "stop"},
        BadField{R"("stop": [1])", "stop"}, BadField{R"("stop": {"a": 1})", "stop"},
        BadField{R"("seed": "x")", "seed"}, BadField{R"("seed": 1.5)", "seed"},
        BadField{R"("presence_penalty": 3)", "presence_penalty"},
        BadField{R"("frequency_penalty": -2.5)", "frequency_penalty"},
        BadField{R"("logit_bias": {"abc": 1})", "logit_bias"},
        BadField{R"("logit_bias": {"512": 1})", "logit_bias"},
        BadField{R"("logit_bias": {"-1": 1})", "logit_bias"},
        BadField{R"("logit_bias": {"5": 101})", "logit_bias"},
        BadField{R"("logit_bias": {"5": "x"})", "logit_bias"},
        BadField{R"("logit_bias": [1])", "logit_bias"}, BadField{R"("stream": "yes")", "stream"},
        BadField{R"("stream_options": {"include_usage": true})", "stream_options"},
        BadField{R"("stream": true, "stream_options": {"include_usage": 1})",
                 "stream_options.include_usage"},
        BadField{R"("stream": true, "stream_options": {"extra": 1})", "stream_options.extra"},
        BadField{R"("stream": true, "stream_options": [])", "stream_options"},
        BadField{R"("messages": [])", "messages"}, BadField{R"("messages": "Hi")", "messages"},
        BadField{R"("messages": [5])", "messages[0]"},
        BadField{R"("messages": [{"content": "Hi"}])", "messages[0].role"},
        BadField{R"("messages": [{"role": "robot", "content": "x"}])", "messages[0].role"},
        BadField{R"("messages": [{"role": "user", "content": "a"}, {"role": "user"}])",
                 "messages[1].content"},
        BadField{R"("messages": [{"role": "user", "content": null}])", "messages[0].content"},
        BadField{R"("messages": [{"role": "user", "content": 5}])", "messages[0].content"},
        BadField{R"("messages": [{"role": "user", "content": [{"type": "image_url",
                    "image_url": {"url": "http://x"}}]}])",
                 "messages[0].content[0]"},
        BadField{R"("messages": [{"role": "assistant", "content": "",
                    "tool_calls": [{"id": "1"}]}])",
                 "messages[0].tool_calls[0].type"},
        BadField{R"("messages": [{"role": "user", "content": "a", "colour": "red"}])",
                 "messages[0].colour"},
        BadField{R"("foo": 1)", "foo"}, BadField{R"("logprobs": "yes")", "logprobs"},
        BadField{R"("top_logprobs": 2)", "top_logprobs"},
        BadField{R"("logprobs": true, "top_logprobs": 21)", "top_logprobs"},
        BadField{R"("tools": [{"type": "function"}])", "tools[0].function"},
        BadField{R"("tool_choice": "required")", "tool_choice"},
        BadField{R"("functions": [{"name": "f"}])", "functions"},
        BadField{R"("response_format": {"type": "xml"})", "response_format.type"},
        BadField{R"("modalities": ["text", "audio"])", "modalities"},
        BadField{R"("best_of": 2)", "best_of"}, BadField{R"("echo": true)", "echo"}));

}  // namespace
}  // namespace assistd::api
