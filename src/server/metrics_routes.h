// GET /metrics: the registry in the Prometheus text format, for `metrics:read` credentials or,
// where a scraper cannot send one (auth.public_metrics), for anyone.
#pragma once

#include "ops/metrics.h"
#include "server/router.h"

namespace assistd::server {

void add_metrics_routes(Router& router, const ops::MetricsRegistry& metrics, Access access);

}  // namespace assistd::server
