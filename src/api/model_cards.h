// The answers of GET /v1/models and GET /v1/models/{id}: OpenAI's model objects, with a
// description field (an assistd addition clients ignore) that says what is being served.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/api_result.h"

namespace assistd::api {

struct ModelCard {
    std::string id;
    int64_t created = 0;  // Unix seconds: when the model file was written, or the server started
    std::string description;
};

// What /v1/models says of the built-in tiny model, so nobody mistakes its output for a bug.
std::string builtin_model_description();

std::string model_list_body(std::span<const ModelCard> models);  // {"object": "list", ...}

// The model object, or 404 model_not_found.
ApiResult<std::string> model_body(std::span<const ModelCard> models, std::string_view id);

}  // namespace assistd::api
