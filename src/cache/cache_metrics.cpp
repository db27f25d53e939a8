#include "cache/cache_metrics.h"

namespace assistd::cache {

CacheMetrics::CacheMetrics(ops::MetricsRegistry& registry)
    : hits_(registry.counter("assistd_response_cache_hits_total",
                             "Requests answered from the response cache.")),
      misses_(registry.counter("assistd_response_cache_misses_total",
                               "Cacheable requests the response cache did not hold.")),
      errors_(registry.counter("assistd_response_cache_errors_total",
                               "Response cache lookups or stores the backend failed (e.g. Redis "
                               "down); those requests are served uncached.")) {}

void CacheMetrics::looked_up(CacheOutcome outcome) {
    if (outcome == CacheOutcome::Hit) hits_.add();
    if (outcome == CacheOutcome::Miss) misses_.add();
}

}  // namespace assistd::cache
