// The real route table behind the real gate: every route × no, wrong, insufficient and valid
// credential, with the status each gets before any handler runs.
#include "server/request_gate.h"

#include <gtest/gtest.h>

#include "api/model_cards.h"
#include "builtin_loader.h"
#include "engine/model/synthetic_model.h"
#include "security/credential_issuer.h"
#include "server/admin_key_routes.h"
#include "server/admin_model_routes.h"
#include "server/auth_routes.h"
#include "server/health_routes.h"
#include "server/metrics_routes.h"
#include "server/model_set.h"
#include "server/openai_routes.h"
#include "support/temp_dir.h"

namespace assistd::server {
namespace {

constexpr int kPasses = 0;  // the gate lets the request through to its handler

struct RouteCase {
    http::verb method;
    std::string target;
    std::string body;
    // Expected for: no credential, a wrong one, one with only metrics:read, one with every scope.
    std::array<int, 4> expected;
};

class RequestGateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        cache_metrics = std::make_unique<cache::CacheMetrics>(registry);
        models = std::make_unique<ModelSet>(load_builtin, nullptr, cache_metrics.get());
        ASSERT_TRUE(models->add_fixed({.name = "builtin-tiny"}));
        metrics = std::make_unique<ServingMetrics>(registry, *models);
        store = std::make_unique<store::CredentialStore>(
            store::CredentialStore::open(dir.file("data")).value());
        sealer = security::load_master_key({.file = dir.file("master.key")}).value();
        issuer = std::make_unique<security::CredentialIssuer>(*store, *sealer);
        authenticator =
            std::make_unique<security::Authenticator>(*store, *sealer, security::AuthPolicy{});
        gate = std::make_unique<RequestGate>(authenticator.get());
        add_health_routes(router, [] { return true; });
        add_metrics_routes(router, registry, Access::scoped(security::Scope::MetricsRead));
        add_openai_routes(router, {*models, *metrics});
        add_admin_model_routes(router, dir.file("data"));
        add_auth_routes(router, *issuer);
        add_admin_key_routes(router, *store, *issuer);
    }

    std::string key(const std::string& scopes, std::vector<std::string> models = {},
                    int64_t rpm = 0) {
        const int64_t now = std::time(nullptr);
        return issuer
            ->create_api_key({.name = "t",
                              .scopes = *security::ScopeSet::parse(scopes),
                              .models = std::move(models),
                              .requests_per_minute = rpm},
                             now)
            ->secret;
    }

    GateVerdict check(http::verb method, const std::string& target, const std::string& body,
                      const std::string& authorization) {
        Request request{method, target, 11};
        if (!authorization.empty()) request.set(http::field::authorization, authorization);
        request.body() = body;
        return gate->check(request, router.match(method, target));
    }

    int status(const RouteCase& route, const std::string& authorization) {
        GateVerdict verdict = check(route.method, route.target, route.body, authorization);
        return verdict.refusal ? static_cast<int>(verdict.refusal->status) : kPasses;
    }

    testing::TempDir dir;
    ops::MetricsRegistry registry;
    std::unique_ptr<cache::CacheMetrics> cache_metrics;
    std::unique_ptr<ModelSet> models;
    std::unique_ptr<ServingMetrics> metrics;
    std::unique_ptr<store::CredentialStore> store;
    std::unique_ptr<security::KeySealer> sealer;
    std::unique_ptr<security::CredentialIssuer> issuer;
    std::unique_ptr<security::Authenticator> authenticator;
    std::unique_ptr<RequestGate> gate;
    Router router;
};

TEST_F(RequestGateTest, EveryRouteByCredential) {
    const std::string chat = R"({"model":"builtin-tiny","messages":[]})";
    const std::vector<RouteCase> routes = {
        {http::verb::get, "/healthz", "", {kPasses, kPasses, kPasses, kPasses}},
        {http::verb::get, "/readyz", "", {kPasses, kPasses, kPasses, kPasses}},
        {http::verb::get, "/metrics", "", {401, 401, kPasses, kPasses}},
        {http::verb::get, "/v1/models", "", {401, 401, 403, kPasses}},
        {http::verb::get, "/v1/models/builtin-tiny", "", {401, 401, 403, kPasses}},
        {http::verb::post, "/v1/chat/completions", chat, {401, 401, 403, kPasses}},
        {http::verb::post,
         "/v1/completions",
         R"({"model":"builtin-tiny"})",
         {401, 401, 403, kPasses}},
        {http::verb::post, "/v1/auth/session", "{}", {401, 401, kPasses, kPasses}},
        {http::verb::get, "/v1/admin/keys", "", {401, 401, 403, kPasses}},
        {http::verb::post, "/v1/admin/keys", "{}", {401, 401, 403, kPasses}},
        {http::verb::delete_, "/v1/admin/keys/ak_0", "", {401, 401, 403, kPasses}},
        {http::verb::get, "/v1/admin/models", "", {401, 401, 403, kPasses}},
        {http::verb::post, "/v1/admin/models/m/activate", "{}", {401, 401, 403, kPasses}},
        {http::verb::post, "/v1/admin/models/m/rollback", "", {401, 401, 403, kPasses}},
        // Unknown routes: a credential first, then the 404/405 is the router's.
        {http::verb::get, "/v1/unknown", "", {401, 401, kPasses, kPasses}},
        {http::verb::delete_, "/v1/models", "", {401, 401, kPasses, kPasses}},
    };
    const std::string valid = key("all");
    std::string wrong = valid;
    wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
    const std::array<std::string, 4> credentials = {
        "", "Bearer " + wrong, "Bearer " + key("metrics:read"), "Bearer " + valid};
    for (const RouteCase& route : routes) {
        for (size_t i = 0; i < credentials.size(); ++i) {
            EXPECT_EQ(status(route, credentials[i]), route.expected[i])
                << http::to_string(route.method) << " " << route.target << " credential " << i;
        }
    }
}

TEST_F(RequestGateTest, RefusalsAreOpenAIErrorsWithTheirCodes) {
    auto missing = check(http::verb::get, "/v1/models", "", "");
    ASSERT_TRUE(missing.refusal);
    EXPECT_NE(missing.refusal->body.find(R"("code":"invalid_api_key")"), std::string::npos);
    auto scope = check(http::verb::get, "/v1/models", "", "Bearer " + key("audio:invoke"));
    ASSERT_TRUE(scope.refusal);
    EXPECT_NE(scope.refusal->body.find(R"("code":"insufficient_scope")"), std::string::npos);
    EXPECT_NE(scope.refusal->body.find(R"("type":"permission_error")"), std::string::npos);
}

TEST_F(RequestGateTest, AModelAllowListAppliesToTheBodyAndThePath) {
    const std::string other = "Bearer " + key("model:invoke", {"other-model"});
    const std::string body = R"({"model":"builtin-tiny","prompt":"x"})";
    auto refused = check(http::verb::post, "/v1/completions", body, other);
    ASSERT_TRUE(refused.refusal);
    EXPECT_EQ(refused.refusal->status, http::status::forbidden);
    EXPECT_NE(refused.refusal->body.find("model_not_allowed"), std::string::npos);
    EXPECT_TRUE(check(http::verb::get, "/v1/models/builtin-tiny", "", other).refusal);
    const std::string allowed = "Bearer " + key("model:invoke", {"builtin-tiny"});
    EXPECT_FALSE(check(http::verb::post, "/v1/completions", body, allowed).refusal);
}

TEST_F(RequestGateTest, AKeyOverItsRateGets429WithRetryAfter) {
    const std::string limited = "Bearer " + key("model:invoke", {}, 1);
    EXPECT_FALSE(check(http::verb::get, "/v1/models", "", limited).refusal);
    auto refused = check(http::verb::get, "/v1/models", "", limited);
    ASSERT_TRUE(refused.refusal);
    EXPECT_EQ(refused.refusal->status, http::status::too_many_requests);
    EXPECT_EQ(refused.refusal->retry_after_seconds, 60);
}

TEST_F(RequestGateTest, WithAuthenticationOffEveryRoutePassesAsNobody) {
    RequestGate open_gate(nullptr);
    Request request{http::verb::get, "/v1/models", 11};
    GateVerdict verdict = open_gate.check(request, router.match(http::verb::get, "/v1/models"));
    EXPECT_FALSE(verdict.refusal);
    EXPECT_FALSE(verdict.caller.principal);
}

}  // namespace
}  // namespace assistd::server
