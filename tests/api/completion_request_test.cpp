#include "api/completion_request.h"

#include <gtest/gtest.h>

#include "api_test_support.h"

namespace assistd::api {
namespace {

using testing::kLimits;

CompletionRequest parse_ok(const std::string& fields) {
    const std::string body = R"({"model": "stories", )" + fields + "}";
    ApiResult<CompletionRequest> request = parse_completion_request(body, kLimits);
    EXPECT_TRUE(request.ok()) << body << " → " << request.error().message;
    return request ? *request : CompletionRequest{};
}

ApiError parse_error(const std::string& fields) {
    const std::string body = R"({"model": "stories", )" + fields + "}";
    ApiResult<CompletionRequest> request = parse_completion_request(body, kLimits);
    EXPECT_FALSE(request.ok()) << body;
    return request ? ApiError{} : request.error();
}

using Tokens = std::vector<int32_t>;

TEST(CompletionRequest, StringPromptWithOpenAIDefaults) {
    CompletionRequest request = parse_ok(R"("prompt": "Once upon a time")");
    ASSERT_EQ(request.prompts.size(), 1u);
    EXPECT_EQ(std::get<std::string>(request.prompts[0]), "Once upon a time");
    EXPECT_EQ(request.generation.params.max_tokens, kDefaultCompletionMaxTokens);
    EXPECT_FALSE(request.generation.max_tokens_given);
    EXPECT_FALSE(request.echo);
    EXPECT_FLOAT_EQ(request.generation.params.sampling.temperature, 1.0f);
    EXPECT_EQ(request.choice_count(), 1);
}

TEST(CompletionRequest, EveryPromptShape) {
    CompletionRequest strings = parse_ok(R"("prompt": ["a", "你好"], "n": 2)");
    ASSERT_EQ(strings.prompts.size(), 2u);
    EXPECT_EQ(std::get<std::string>(strings.prompts[1]), "你好");
    EXPECT_EQ(strings.choice_count(), 4);

    CompletionRequest ids = parse_ok(R"("prompt": [1, 2, 511])");
    ASSERT_EQ(ids.prompts.size(), 1u);
    EXPECT_EQ(std::get<Tokens>(ids.prompts[0]), (Tokens{1, 2, 511}));

    CompletionRequest id_lists = parse_ok(R"("prompt": [[1, 2], [3]])");
    ASSERT_EQ(id_lists.prompts.size(), 2u);
    EXPECT_EQ(std::get<Tokens>(id_lists.prompts[1]), (Tokens{3}));

    EXPECT_EQ(parse_ok(R"("prompt": "")").prompts.size(), 1u);  // BOS alone is a prompt
}

TEST(CompletionRequest, AcceptedFields) {
    CompletionRequest request = parse_ok(
        R"("prompt": "x", "echo": true, "max_tokens": 50, "temperature": 0, "top_p": 0.9,
           "n": 2, "stop": "\n", "seed": 7, "presence_penalty": 1, "frequency_penalty": 1,
           "logit_bias": {"3": 5}, "stream": true, "stream_options": {"include_usage": true},
           "user": "u", "best_of": 1, "suffix": null, "logprobs": null)");
    EXPECT_TRUE(request.echo);
    EXPECT_EQ(request.generation.params.max_tokens, 50);
    EXPECT_TRUE(request.generation.max_tokens_given);
    EXPECT_EQ(request.generation.n, 2);
    EXPECT_EQ(request.generation.params.stop, std::vector<std::string>{"\n"});
    EXPECT_EQ(request.generation.seed, 7u);
    EXPECT_TRUE(request.generation.stream);
    EXPECT_TRUE(request.generation.include_usage);
}

TEST(CompletionRequest, LogprobsAskForTheTopAlternatives) {
    EXPECT_EQ(parse_ok(R"("prompt": "x")").generation.params.logprobs, -1);
    EXPECT_EQ(parse_ok(R"("prompt": "x", "logprobs": 0)").generation.params.logprobs, 0);
    EXPECT_EQ(parse_ok(R"("prompt": "x", "logprobs": 5)").generation.params.logprobs, 5);
}

TEST(CompletionRequest, RefusesNamingTheField) {
    struct Case {
        const char* fields;
        const char* param;
    };
    const Case cases[] = {
        {R"("max_tokens": 5)", "prompt"},  // no prompt
        {R"("prompt": 5)", "prompt"},
        {R"("prompt": [])", "prompt"},
        {R"("prompt": [[]])", "prompt"},
        {R"("prompt": [1, 512])", "prompt"},
        {R"("prompt": [1, -1])", "prompt"},
        {R"("prompt": [1, "a"])", "prompt"},
        {R"("prompt": [1.5])", "prompt"},
        {R"("prompt": [[1], [2, 9999]])", "prompt"},
        {R"("prompt": ["a", 3])", "prompt"},
        {R"("prompt": ["a", "b", "c", "d", "e"])", "prompt"},
        {R"("prompt": ["a", "b"], "n": 3)", "n"},
        {R"("prompt": "x", "suffix": "end")", "suffix"},
        {R"("prompt": "x", "suffix": "")", "suffix"},
        {R"("prompt": "x", "logprobs": 6)", "logprobs"},
        {R"("prompt": "x", "logprobs": -1)", "logprobs"},
        {R"("prompt": "x", "echo": true, "logprobs": 0)", "logprobs"},
        {R"("prompt": "x", "best_of": 3)", "best_of"},
        {R"("prompt": "x", "echo": "yes")", "echo"},
        {R"("prompt": "x", "max_completion_tokens": 5)", "max_completion_tokens"},
        {R"("prompt": "x", "messages": [])", "messages"},
        {R"("prompt": "x", "max_tokens": 1000)", "max_tokens"},
        {R"("prompt": "x", "temperature": -1)", "temperature"},
    };
    for (const Case& test : cases) {
        ApiError error = parse_error(test.fields);
        EXPECT_EQ(error.status, 400) << test.fields;
        EXPECT_EQ(error.param, test.param) << test.fields << " → " << error.message;
    }
}

TEST(CompletionRequest, OutOfVocabularyTokenSaysWhere) {
    ApiError error = parse_error(R"("prompt": [[1], [2, 9999]])");
    EXPECT_NE(error.message.find("9999 at prompt[1][1]"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("0..511"), std::string::npos) << error.message;
}

TEST(CompletionRequest, WrongModelIs404) {
    ApiResult<CompletionRequest> request =
        parse_completion_request(R"({"model": "davinci-002", "prompt": "x"})", kLimits);
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.error().status, 404);
    EXPECT_EQ(request.error().code, "model_not_found");
}

TEST(CompletionRequest, DefaultMaxTokensNeverExceedsTheLimit) {
    RequestLimits limits = kLimits;
    limits.max_tokens_limit = 8;
    ApiResult<CompletionRequest> request =
        parse_completion_request(R"({"model": "stories", "prompt": "x"})", limits);
    ASSERT_TRUE(request.ok());
    EXPECT_EQ(request->generation.params.max_tokens, 8);
}

}  // namespace
}  // namespace assistd::api
