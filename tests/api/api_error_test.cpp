#include "api/api_error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/sse.h"

namespace assistd::api {
namespace {

nlohmann::json body_of(const ApiError& error) {
    return nlohmann::json::parse(error_body(error));
}

TEST(ApiError, BodyHasOpenAIShapeWithParam) {
    nlohmann::json body = body_of(invalid_request("temperature", "temperature must be ..."));
    EXPECT_EQ(body, nlohmann::json::parse(R"({"error": {"message": "temperature must be ...",
        "type": "invalid_request_error", "param": "temperature", "code": null}})"));
}

TEST(ApiError, EmptyParamAndCodeAreNull) {
    nlohmann::json body = body_of(internal_error("the engine failed"));
    EXPECT_TRUE(body["error"]["param"].is_null());
    EXPECT_TRUE(body["error"]["code"].is_null());
    EXPECT_EQ(body["error"]["type"], "server_error");
}

TEST(ApiError, EveryClassHasItsStatusTypeAndCode) {
    struct Case {
        ApiError error;
        int status;
        const char* type;
        const char* code;
    };
    const Case cases[] = {
        {invalid_request("n", "n must be ..."), 400, "invalid_request_error", ""},
        {model_not_found("gpt-4"), 404, "invalid_request_error", "model_not_found"},
        {unknown_url("GET", "/v2/x"), 404, "invalid_request_error", ""},
        {request_too_large(1024), 413, "invalid_request_error", "request_too_large"},
        {queue_full(), 429, "rate_limit_error", "rate_limit_exceeded"},
        {unavailable("shutting down"), 503, "service_unavailable_error", "service_unavailable"},
        {internal_error("boom"), 500, "server_error", ""},
    };
    for (const Case& test : cases) {
        EXPECT_EQ(test.error.status, test.status) << test.error.message;
        EXPECT_EQ(test.error.type, test.type) << test.error.message;
        EXPECT_EQ(test.error.code, test.code) << test.error.message;
        EXPECT_FALSE(test.error.message.empty());
    }
    EXPECT_EQ(model_not_found("gpt-4").param, "model");
    EXPECT_NE(model_not_found("gpt-4").message.find("gpt-4"), std::string::npos);
    EXPECT_NE(request_too_large(1024).message.find("1024"), std::string::npos);
}

TEST(ApiError, MidStreamErrorIsOneSseEvent) {
    std::string frame = sse_error(internal_error("boom"));
    EXPECT_EQ(frame.rfind("data: {\"error\":", 0), 0u) << frame;
    EXPECT_TRUE(frame.ends_with("}\n\n"));
}

TEST(ApiError, ChineseMessageStaysUtf8) {
    std::string body = error_body(invalid_request("stop", "停止词无效"));
    EXPECT_NE(body.find("停止词无效"), std::string::npos) << body;
}

}  // namespace
}  // namespace assistd::api
