// The standard process_* metrics every Prometheus client library exports (CPU seconds, resident
// memory, open file descriptors, start time), read from /proc when scraped.
#pragma once

#include "ops/metrics.h"

namespace assistd::ops {

void add_process_metrics(MetricsRegistry& metrics);

}  // namespace assistd::ops
