#include "api/api_error.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"

namespace assistd::api {

namespace {

nlohmann::json null_if_empty(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

ApiError make_error(int status, std::string type, std::string code, std::string message,
                    std::string param = "") {
    return {.status = status,
            .message = std::move(message),
            .type = std::move(type),
            .param = std::move(param),
            .code = std::move(code)};
}

}  // namespace

ApiError invalid_request(std::string param, std::string message) {
    return make_error(400, "invalid_request_error", "", std::move(message), std::move(param));
}

ApiError model_not_found(std::string_view model) {
    return make_error(404, "invalid_request_error", "model_not_found",
                      "The model '" + std::string(model) + "' does not exist", "model");
}

ApiError unknown_url(std::string_view method, std::string_view path) {
    return make_error(404, "invalid_request_error", "",
                      "Invalid URL (" + std::string(method) + " " + std::string(path) + ")");
}

ApiError request_too_large(uint64_t max_body_bytes) {
    return make_error(413, "invalid_request_error", "request_too_large",
                      "The request body is larger than the limit of " +
                          std::to_string(max_body_bytes) + " bytes");
}

ApiError unauthenticated(std::string message) {
    return make_error(401, "invalid_request_error", "invalid_api_key", std::move(message));
}

ApiError permission_denied(std::string code, std::string message) {
    return make_error(403, "permission_error", std::move(code), std::move(message));
}

ApiError rate_limited(std::string message) {
    return make_error(429, "rate_limit_error", "rate_limit_exceeded", std::move(message));
}

ApiError queue_full() {
    return make_error(429, "rate_limit_error", "rate_limit_exceeded",
                      "The server is busy: the request queue is full; retry later");
}

ApiError unavailable(std::string message) {
    return make_error(503, "service_unavailable_error", "service_unavailable", std::move(message));
}

ApiError internal_error(std::string message) {
    return make_error(500, "server_error", "", std::move(message));
}

std::string error_body(const ApiError& error) {
    return dump_json({{"error",
                       {{"message", error.message},
                        {"type", error.type},
                        {"param", null_if_empty(error.param)},
                        {"code", null_if_empty(error.code)}}}});
}

}  // namespace assistd::api
