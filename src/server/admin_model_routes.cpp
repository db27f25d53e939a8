#include "server/admin_model_routes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <functional>

#include "api/api_error.h"
#include "server/error_reply.h"
#include "store/model_registry.h"

namespace assistd::server {
namespace {

using nlohmann::json;

// Each call opens its own connection: admin calls are rare, and a connection is never shared
// between threads that way.
using RegistryAction = std::function<Result<std::string>(store::ModelRegistry& registry,
                                                         const std::string& name, int64_t now)>;

// Runs `action` on the model the path names and answers with its now active version.
void change_model(const std::shared_ptr<Exchange>& exchange, const std::filesystem::path& data_dir,
                  const RegistryAction& action) {
    Result<store::ModelRegistry> registry = store::ModelRegistry::open(data_dir);
    if (!registry) return reply_error(exchange, api::internal_error(registry.error().message));
    const std::string name = exchange->path_param();
    Result<std::vector<store::RegisteredModel>> models = registry->list();
    if (!models) return reply_error(exchange, api::internal_error(models.error().message));
    const bool known = std::any_of(models->begin(), models->end(),
                                   [&](const store::RegisteredModel& m) { return m.name == name; });
    if (!known) return reply_error(exchange, api::model_not_found(name));
    Result<std::string> active = action(*registry, name, std::time(nullptr));
    if (!active) return reply_error(exchange, api::invalid_request("", active.error().message));
    exchange->reply(http::status::ok, json{{"name", name}, {"active_version", *active}}.dump());
}

Result<std::string> activate_from_body(const Exchange& exchange, store::ModelRegistry& registry,
                                       const std::string& name, int64_t now) {
    const json body = json::parse(exchange.request().body(), nullptr, false);
    if (!body.is_object() || !body.contains("version") || !body["version"].is_string()) {
        return Error{"the body must be a JSON object with a string version"};
    }
    const std::string version = body["version"].get<std::string>();
    if (Result<void> done = registry.activate(name, version, now); !done) return done.error();
    return version;
}

}  // namespace

void add_admin_model_routes(Router& router, std::filesystem::path data_dir) {
    const Access admin = Access::scoped(security::Scope::AdminModels);
    router.add(http::verb::get, "/v1/admin/models", admin,
               [data_dir](const std::shared_ptr<Exchange>& exchange) {
                   Result<store::ModelRegistry> registry = store::ModelRegistry::open(data_dir);
                   if (!registry) {
                       return reply_error(exchange, api::internal_error(registry.error().message));
                   }
                   auto models = registry->list();
                   if (!models) {
                       return reply_error(exchange, api::internal_error(models.error().message));
                   }
                   exchange->reply(http::status::ok, store::registry_listing(*models).dump());
               });
    router.add(http::verb::post, "/v1/admin/models/{}/activate", admin,
               [data_dir](const std::shared_ptr<Exchange>& exchange) {
                   change_model(exchange, data_dir,
                                [&exchange](store::ModelRegistry& registry, const std::string& name,
                                            int64_t now) {
                                    return activate_from_body(*exchange, registry, name, now);
                                });
               });
    router.add(http::verb::post, "/v1/admin/models/{}/rollback", admin,
               [data_dir](const std::shared_ptr<Exchange>& exchange) {
                   change_model(exchange, data_dir,
                                [](store::ModelRegistry& registry, const std::string& name,
                                   int64_t now) { return registry.rollback(name, now); });
               });
}

}  // namespace assistd::server
