#include "server/health_routes.h"

namespace assistd::server {

void add_health_routes(Router& router, std::function<bool()> ready) {
    router.add(http::verb::get, "/healthz", Access::open(),
               [](const std::shared_ptr<Exchange>& exchange) {
                   exchange->reply(http::status::ok, R"({"status":"ok"})");
               });
    router.add(http::verb::get, "/readyz", Access::open(),
               [ready = std::move(ready)](const std::shared_ptr<Exchange>& exchange) {
                   if (ready()) {
                       exchange->reply(http::status::ok, R"({"status":"ready"})");
                   } else {
                       exchange->reply(http::status::service_unavailable,
                                       R"({"status":"unavailable"})");
                   }
               });
}

}  // namespace assistd::server
