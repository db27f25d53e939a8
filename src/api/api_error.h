// ApiError: a request the API refuses, with the HTTP status and OpenAI's error fields, so every
// client library raises the exception it would raise against OpenAI.
//
//   {"error": {"message": "...", "type": "invalid_request_error", "param": "temperature",
//              "code": null}}
#pragma once

#include <string>
#include <string_view>

namespace assistd::api {

struct ApiError {
    int status = 400;  // HTTP status
    std::string message;
    std::string type;   // "invalid_request_error", "server_error", ...
    std::string param;  // the request field at fault ("messages[1].content"); "" for none
    std::string code;   // "model_not_found", ...; "" for none

    bool operator==(const ApiError&) const = default;
};

// 400: the request is malformed or asks for something not served; `param` names the field.
ApiError invalid_request(std::string param, std::string message);
// 404: the requested model is not the one this server serves.
ApiError model_not_found(std::string_view model);
// 404: no such route.
ApiError unknown_url(std::string_view method, std::string_view path);
// 413: the body is larger than service.max_body_bytes.
ApiError request_too_large(uint64_t max_body_bytes);
// 401: no credential, or one that is unknown, wrong, expired or revoked.
ApiError unauthenticated(std::string message);
// 403: a valid credential that lacks the scope, or may not use the model (`code` says which).
ApiError permission_denied(std::string code, std::string message);
// 429: the credential's rate or concurrency limit.
ApiError rate_limited(std::string message);
// 429: the request queue is full.
ApiError queue_full();
// 503: the server is draining for shutdown or still loading.
ApiError unavailable(std::string message);
// 500: the engine failed; the message says why.
ApiError internal_error(std::string message);

// The error response body, `{"error": {...}}`; empty param and code are written as null.
std::string error_body(const ApiError& error);

}  // namespace assistd::api
