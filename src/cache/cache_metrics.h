// The response cache's metrics, in the server's registry: assistd_response_cache_hits_total,
// _misses_total and _errors_total (a backend that could not answer or store); the memory backend
// adds assistd_response_cache_bytes (see open_response_cache).
#pragma once

#include "cache/response_cache.h"
#include "ops/metrics.h"

namespace assistd::cache {

class CacheMetrics {
  public:
    explicit CacheMetrics(ops::MetricsRegistry& registry);

    // A lookup's outcome: hits and misses count; Unavailable was counted as an error already.
    void looked_up(CacheOutcome outcome);
    void error() { errors_.add(); }

  private:
    ops::Counter& hits_;
    ops::Counter& misses_;
    ops::Counter& errors_;
};

}  // namespace assistd::cache
