#include "server/auth_routes.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "api/api_error.h"
#include "server/error_reply.h"

namespace assistd::server {
namespace {

constexpr int64_t kDefaultSessionSeconds = 3600;

// The scopes asked for: a list of names, or absent for all of the caller's.
Result<security::ScopeSet> requested_scopes(const nlohmann::json& body,
                                            const security::Principal& caller) {
    if (!body.contains("scopes")) return caller.scopes;
    if (!body["scopes"].is_array()) return Error{"scopes must be an array of scope names"};
    std::string names;
    for (const auto& scope : body["scopes"]) {
        if (!scope.is_string()) return Error{"scopes must be an array of scope names"};
        names += scope.get<std::string>() + ",";
    }
    return security::ScopeSet::parse(names);
}

void create_session(const std::shared_ptr<Exchange>& exchange, security::CredentialIssuer& issuer) {
    const security::Principal* caller = exchange->principal();
    if (caller == nullptr) {
        return reply_error(
            exchange, api::invalid_request("", "authentication is off: there is nothing to scope"));
    }
    const std::string& text = exchange->request().body();
    const auto body = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
    if (!body.is_object()) {
        return reply_error(exchange, api::invalid_request("", "the body must be a JSON object"));
    }
    if (body.contains("expires_in") && !body["expires_in"].is_number_integer()) {
        return reply_error(exchange,
                           api::invalid_request("expires_in", "expires_in must be an integer"));
    }
    const int64_t seconds = body.value("expires_in", kDefaultSessionSeconds);
    Result<security::ScopeSet> scopes = requested_scopes(body, *caller);
    if (!scopes)
        return reply_error(exchange, api::invalid_request("scopes", scopes.error().message));
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    Result<security::IssuedCredential> session =
        issuer.issue_session(*caller, *scopes, seconds, now);
    if (!session) {
        const bool too_wide = !scopes->within(caller->scopes);
        return reply_error(
            exchange, too_wide
                          ? api::permission_denied("insufficient_scope", session.error().message)
                          : api::invalid_request("expires_in", session.error().message));
    }
    exchange->reply(http::status::ok, nlohmann::json{{"object", "session"},
                                                     {"token", session->secret},
                                                     {"id", session->record.id},
                                                     {"scopes", scopes->names()},
                                                     {"expires_at", *session->record.expires_at}}
                                          .dump());
}

}  // namespace

void add_auth_routes(Router& router, security::CredentialIssuer& issuer) {
    router.add(
        http::verb::post, "/v1/auth/session", Access::any_credential(),
        [&issuer](const std::shared_ptr<Exchange>& exchange) { create_session(exchange, issuer); });
}

}  // namespace assistd::server
