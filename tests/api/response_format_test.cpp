// response_format on chat requests: text leaves decoding free, json_object and json_schema hold
// it to a grammar, and a format or schema that cannot be honoured is a 400 naming the field.
#include "api/response_format.h"

#include <gtest/gtest.h>

#include "api/chat_request.h"
#include "api_test_support.h"
#include "engine/grammar/grammar_matcher.h"

namespace assistd::api {
namespace {

using testing::kLimits;

ApiResult<ChatRequest> parse_with(const std::string& format) {
    return parse_chat_request(
        R"({"model": "stories", "messages": [{"role": "user", "content": "Hi"}], )"
        R"("response_format": )" +
            format + "}",
        kLimits);
}

bool takes(const std::shared_ptr<const Grammar>& grammar, std::string_view text) {
    GrammarMatcher matcher(grammar);
    return matcher.accept(text) && matcher.complete();
}

TEST(ResponseFormat, TextLeavesDecodingFree) {
    ApiResult<ChatRequest> request = parse_with(R"({"type": "text"})");
    ASSERT_TRUE(request.ok());
    EXPECT_EQ(request->output_grammar, nullptr);
}

TEST(ResponseFormat, JsonObjectTakesAnyObjectOnly) {
    ApiResult<ChatRequest> request = parse_with(R"({"type": "json_object"})");
    ASSERT_TRUE(request.ok());
    ASSERT_NE(request->output_grammar, nullptr);
    EXPECT_TRUE(takes(request->output_grammar, R"({"a": [1, 2]})"));
    EXPECT_FALSE(takes(request->output_grammar, R"("a")"));
}

TEST(ResponseFormat, JsonSchemaTakesWhatValidates) {
    ApiResult<ChatRequest> request = parse_with(R"({"type": "json_schema", "json_schema": {
        "name": "answer", "description": "d", "strict": true, "schema": {"type": "object",
        "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
        "additionalProperties": false}}})");
    ASSERT_TRUE(request.ok()) << request.error().message;
    ASSERT_NE(request->output_grammar, nullptr);
    EXPECT_TRUE(takes(request->output_grammar, R"({"ok":true})"));
    EXPECT_FALSE(takes(request->output_grammar, R"({"ok":1})"));
}

struct BadFormat {
    std::string format;
    std::string param;
    std::string says;  // part of the message
};

class ResponseFormatRefuses : public ::testing::TestWithParam<BadFormat> {};

TEST_P(ResponseFormatRefuses, NamingTheField) {
    const BadFormat& bad = GetParam();
    ApiResult<ChatRequest> request = parse_with(bad.format);
    ASSERT_FALSE(request.ok()) << bad.format;
    EXPECT_EQ(request.error().status, 400);
    EXPECT_EQ(request.error().type, "invalid_request_error");
    EXPECT_EQ(request.error().param, bad.param) << request.error().message;
    EXPECT_NE(request.error().message.find(bad.says), std::string::npos) << request.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ResponseFormatRefuses,
    ::testing::Values(
        BadFormat{R"("json")", "response_format", "must be an object"},
        BadFormat{R"({"type": "xml"})", "response_format.type", "'xml' is not supported"},
        BadFormat{R"({"type": "json_object", "schema": {}})", "response_format.schema", ""},
        BadFormat{R"({"type": "json_schema"})", "response_format.json_schema", "is required"},
        BadFormat{R"({"type": "json_schema", "json_schema": {"schema": {}}})",
                  "response_format.json_schema.name", "is required"},
        BadFormat{R"({"type": "json_schema", "json_schema": {"name": "p", "schema": {
                      "type": "object", "properties": {"s": {"type": "string",
                      "pattern": "^a"}}}}})",
                  "response_format.json_schema.schema",
                  "response_format.json_schema.schema.properties.s uses 'pattern', which is not "
                  "supported"},
        BadFormat{R"({"type": "json_schema", "json_schema": {"name": "p", "schema": {
                      "type": "array", "prefixItems": []}}})",
                  "response_format.json_schema.schema", "'prefixItems'"}));

}  // namespace
}  // namespace assistd::api
