#include "server/metrics_routes.h"

namespace assistd::server {

void add_metrics_routes(Router& router, const ops::MetricsRegistry& metrics, Access access) {
    add_metrics_routes(
        router, [&metrics] { return metrics.render(); }, access);
}

void add_metrics_routes(Router& router, std::function<std::string()> render, Access access) {
    router.add(http::verb::get, "/metrics", access,
               [render = std::move(render)](const std::shared_ptr<Exchange>& exchange) {
                   exchange->reply(http::status::ok, render(), "text/plain; version=0.0.4");
               });
}

}  // namespace assistd::server
