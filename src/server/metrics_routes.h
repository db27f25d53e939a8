// GET /metrics: the registry in the Prometheus text format.
#pragma once

#include "ops/metrics.h"
#include "server/router.h"

namespace assistd::server {

void add_metrics_routes(Router& router, const ops::MetricsRegistry& metrics);

}  // namespace assistd::server
