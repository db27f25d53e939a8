#include "api/model_cards.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace assistd::api {
namespace {

const std::vector<ModelCard> kModels = {
    {.id = "builtin-tiny", .created = 1700000000, .description = builtin_model_description()}};

TEST(ModelCards, ListHasOpenAIShape) {
    nlohmann::json body = nlohmann::json::parse(model_list_body(kModels));
    EXPECT_EQ(body["object"], "list");
    ASSERT_EQ(body["data"].size(), 1u);
    const nlohmann::json& model = body["data"][0];
    EXPECT_EQ(model["id"], "builtin-tiny");
    EXPECT_EQ(model["object"], "model");
    EXPECT_EQ(model["created"], 1700000000);
    EXPECT_EQ(model["owned_by"], "assistd");
}

TEST(ModelCards, BuiltinModelSaysItsRepliesAreGibberish) {
    const std::string description = builtin_model_description();
    EXPECT_NE(description.find("random weights"), std::string::npos);
    EXPECT_NE(description.find("gibberish"), std::string::npos);
    EXPECT_NE(description.find("model.path"), std::string::npos);
}

TEST(ModelCards, RetrieveByIdOr404) {
    ApiResult<std::string> found = model_body(kModels, "builtin-tiny");
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(nlohmann::json::parse(*found)["id"], "builtin-tiny");

    ApiResult<std::string> missing = model_body(kModels, "gpt-4");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().status, 404);
    EXPECT_EQ(missing.error().code, "model_not_found");
}

}  // namespace
}  // namespace assistd::api
