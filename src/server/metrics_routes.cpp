#include "server/metrics_routes.h"

namespace assistd::server {

void add_metrics_routes(Router& router, const ops::MetricsRegistry& metrics, Access access) {
    router.add(http::verb::get, "/metrics", access,
               [&metrics](const std::shared_ptr<Exchange>& exchange) {
                   exchange->reply(http::status::ok, metrics.render(), "text/plain; version=0.0.4");
               });
}

}  // namespace assistd::server
