#include "server/request_gate.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "api/api_error.h"
#include "security/request_signature.h"

namespace assistd::server {
namespace {

Refusal refusal(const api::ApiError& error, int64_t retry_after = 0) {
    return {static_cast<http::status>(error.status), api::error_body(error), retry_after};
}

std::string_view std_view(boost::beast::string_view view) {
    return {view.data(), view.size()};
}

std::string_view header(const Request& request, std::string_view name) {
    const auto found = request.find(boost::beast::string_view(name.data(), name.size()));
    return found == request.end() ? std::string_view() : std_view(found->value());
}

// The model a request asks for: the path's id (GET /v1/models/{id}) or the body's "model".
std::optional<std::string> requested_model(const Request& request, const Router::Match& match) {
    if (!match.path_param.empty()) return match.path_param;
    if (request.body().empty()) return std::nullopt;
    const auto body = nlohmann::json::parse(request.body(), nullptr, false);
    if (!body.is_object() || !body.contains("model") || !body["model"].is_string()) {
        return std::nullopt;  // the handler answers 400 for that
    }
    return body["model"].get<std::string>();
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

GateVerdict RequestGate::check(const Request& request, const Router::Match& match) {
    if (authenticator_ == nullptr || match.access.kind == Access::Kind::Public) return {};
    Result<security::Principal> principal =
        authenticator_->authenticate({.authorization = header(request, "Authorization"),
                                      .timestamp = header(request, security::kTimestampHeader),
                                      .nonce = header(request, security::kNonceHeader),
                                      .method = std_view(request.method_string()),
                                      .target = std_view(request.target()),
                                      .body = request.body()},
                                     unix_now());
    if (!principal) return {refusal(api::unauthenticated(principal.error().message)), {}};
    if (match.access.kind == Access::Kind::Scoped) {
        if (auto allowed = security::authorize(*principal, match.access.scope); !allowed) {
            return {refusal(api::permission_denied("insufficient_scope", allowed.error().message)),
                    {}};
        }
    }
    const bool invokes_a_model = match.access.kind == Access::Kind::Scoped &&
                                 (match.access.scope == security::Scope::ModelInvoke ||
                                  match.access.scope == security::Scope::AudioInvoke);
    if (const auto model = invokes_a_model ? requested_model(request, match) : std::nullopt) {
        if (auto allowed = security::authorize_model(*principal, *model); !allowed) {
            return {refusal(api::permission_denied("model_not_allowed", allowed.error().message)),
                    {}};
        }
    }
    security::RateLimiter::Admission admission = limiter_.admit(*principal, steady_seconds());
    if (!admission.lease) {
        return {refusal(api::rate_limited(admission.reason), admission.retry_after_seconds), {}};
    }
    return {std::nullopt, Caller{std::move(*principal), std::move(admission.lease)}};
}

}  // namespace assistd::server
