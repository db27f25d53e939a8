// GET /healthz: the process is alive. GET /readyz: the model is loaded and work is accepted
// (503 while loading or draining), for load balancers and Kubernetes probes.
#pragma once

#include <functional>

#include "server/router.h"

namespace assistd::server {

void add_health_routes(Router& router, std::function<bool()> ready);

}  // namespace assistd::server
