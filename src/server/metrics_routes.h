// GET /metrics: the registry in the Prometheus text format, for `metrics:read` credentials or,
// where a scraper cannot send one (auth.public_metrics), for anyone.
#pragma once

#include <functional>
#include <string>

#include "ops/metrics.h"
#include "server/router.h"

namespace assistd::server {

void add_metrics_routes(Router& router, const ops::MetricsRegistry& metrics, Access access);
// The text comes from `render` (a worker's: the totals of its generation, see WorkerLink).
void add_metrics_routes(Router& router, std::function<std::string()> render, Access access);

}  // namespace assistd::server
