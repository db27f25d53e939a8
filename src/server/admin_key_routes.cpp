#include "server/admin_key_routes.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>

#include "api/api_error.h"
#include "api/api_result.h"
#include "server/error_reply.h"

namespace assistd::server {
namespace {

using nlohmann::json;
constexpr int64_t kDay = 86'400;

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json optional_time(const std::optional<int64_t>& time) {
    return time ? json(*time) : json(nullptr);
}

std::vector<std::string> scope_names(const std::string& text) {
    Result<security::ScopeSet> scopes = security::ScopeSet::parse(text);
    return scopes ? scopes->names() : std::vector<std::string>{};
}

json describe(const store::CredentialRecord& record) {
    return {{"id", record.id},
            {"kind", record.kind},
            {"name", record.name},
            {"scopes", scope_names(record.scopes)},
            {"models", security::split_models(record.models)},
            {"requests_per_minute", record.requests_per_minute},
            {"tokens_per_minute", record.tokens_per_minute},
            {"max_concurrent", record.max_concurrent},
            {"created_at", record.created_at},
            {"expires_at", optional_time(record.expires_at)},
            {"revoked_at", optional_time(record.revoked_at)}};
}

// The spec a POST body asks for, or the 400 that says which field is wrong.
api::ApiResult<security::CredentialSpec> spec_of(const json& body, int64_t now) {
    if (!body.is_object()) return api::invalid_request("", "the body must be a JSON object");
    security::CredentialSpec spec{.name = "unnamed"};
    if (body.contains("name")) {
        if (!body["name"].is_string()) return api::invalid_request("name", "name must be a string");
        spec.name = body["name"].get<std::string>();
    }
    std::string scopes;
    if (!body.contains("scopes") || !body["scopes"].is_array() || body["scopes"].empty()) {
        return api::invalid_request("scopes", "scopes must be a non-empty array of scope names");
    }
    for (const json& scope : body["scopes"]) {
        if (!scope.is_string()) return api::invalid_request("scopes", "scopes must be strings");
        scopes += scope.get<std::string>() + ",";
    }
    Result<security::ScopeSet> parsed = security::ScopeSet::parse(scopes);
    if (!parsed) return api::invalid_request("scopes", parsed.error().message);
    spec.scopes = *parsed;
    if (body.contains("models")) {
        if (!body["models"].is_array())
            return api::invalid_request("models", "models must be an array");
        for (const json& model : body["models"]) {
            if (!model.is_string()) return api::invalid_request("models", "models must be strings");
            spec.models.push_back(model.get<std::string>());
        }
    }
    const std::array<std::pair<const char*, int64_t*>, 3> numbers = {{
        {"requests_per_minute", &spec.requests_per_minute},
        {"tokens_per_minute", &spec.tokens_per_minute},
        {"max_concurrent", &spec.max_concurrent},
    }};
    for (const auto& [name, field] : numbers) {
        if (!body.contains(name)) continue;
        if (!body[name].is_number_unsigned()) {
            return api::invalid_request(name,
                                        std::string(name) + " must be a non-negative integer");
        }
        *field = body[name].get<int64_t>();
    }
    if (body.contains("expires_in_days")) {
        if (!body["expires_in_days"].is_number_unsigned() || body["expires_in_days"] == 0) {
            return api::invalid_request("expires_in_days",
                                        "expires_in_days must be a positive integer");
        }
        spec.expires_at = now + body["expires_in_days"].get<int64_t>() * kDay;
    }
    return spec;
}

void create_key(const std::shared_ptr<Exchange>& exchange, security::CredentialIssuer& issuer) {
    const security::Principal* caller = exchange->principal();
    const int64_t now = unix_now();
    const json body = json::parse(exchange->request().body(), nullptr, false);
    api::ApiResult<security::CredentialSpec> spec = spec_of(body, now);
    if (!spec) return reply_error(exchange, spec.error());
    if (caller != nullptr && !spec->scopes.within(caller->scopes)) {
        return reply_error(
            exchange, api::permission_denied("insufficient_scope",
                                             "a key may not be given scopes its creator lacks (" +
                                                 caller->scopes.text() + ")"));
    }
    const bool pair = body.value("secret_pair", false);
    Result<security::IssuedCredential> issued =
        pair ? issuer.create_secret_pair(*spec, now) : issuer.create_api_key(*spec, now);
    if (!issued) return reply_error(exchange, api::internal_error(issued.error().message));
    json answer = describe(issued->record);
    answer[pair ? "secret_key" : "key"] = issued->secret;
    exchange->reply(http::status::ok, answer.dump());
}

}  // namespace

void add_admin_key_routes(Router& router, store::CredentialStore& store,
                          security::CredentialIssuer& issuer) {
    const Access admin = Access::scoped(security::Scope::AdminKeys);
    router.add(
        http::verb::get, "/v1/admin/keys", admin,
        [&store](const std::shared_ptr<Exchange>& exchange) {
            auto records = store.list();
            if (!records) {
                return reply_error(exchange, api::internal_error(records.error().message));
            }
            json data = json::array();
            for (const auto& record : *records) data.push_back(describe(record));
            exchange->reply(http::status::ok, json{{"object", "list"}, {"data", data}}.dump());
        });
    router.add(
        http::verb::post, "/v1/admin/keys", admin,
        [&issuer](const std::shared_ptr<Exchange>& exchange) { create_key(exchange, issuer); });
    router.add(http::verb::delete_, "/v1/admin/keys/{}", admin,
               [&store](const std::shared_ptr<Exchange>& exchange) {
                   Result<bool> revoked = store.revoke(exchange->path_param(), unix_now());
                   if (!revoked) {
                       return reply_error(exchange, api::internal_error(revoked.error().message));
                   }
                   if (!*revoked) {
                       return reply_error(
                           exchange,
                           api::ApiError{404, "no active credential " + exchange->path_param(),
                                         "invalid_request_error", "", ""});
                   }
                   exchange->reply(http::status::ok,
                                   json{{"id", exchange->path_param()}, {"revoked", true}}.dump());
               });
}

}  // namespace assistd::server
