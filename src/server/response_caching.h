// The response cache on the generation path. For each request it decides whether the cache may
// answer, looks the answer up, replays a hit (as one JSON body or as the SSE chunks of a live
// stream, with the request's own fresh id and created time), and records a miss's complete answer
// for next time. X-Assistd-Cache says which happened: hit, miss or bypass.
//
// Bypassed: every request when no cache is configured; requests that are not deterministic (see
// api::is_deterministic); requests that opt out with `Cache-Control: no-cache` or `no-store`; and
// requests the backend could not look up (Redis down), which are served uncached.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/generation_request.h"
#include "cache/cache_key.h"
#include "cache/cache_metrics.h"
#include "cache/response_cache.h"
#include "engine/sched/scheduler.h"
#include "server/exchange.h"
#include "server/generation_exchange.h"
#include "server/serving_metrics.h"

namespace assistd::server {

// Which model answers: its public name and a version that changes whenever its weights do.
struct ModelIdentity {
    std::string id;
    std::string version;
};

class ResponseCaching {
  public:
    // `cache` null: every request bypasses. Both must outlive this.
    ResponseCaching(cache::ResponseCache* cache, cache::CacheMetrics* metrics, ModelIdentity model);

    // The key for this request on `route`, or none when it must bypass the cache.
    std::optional<cache::CacheKey> key_for(const Request& request, std::string_view route,
                                           const api::GenerationRequest& generation,
                                           const nlohmann::json& identity) const;

    // Answers from the cache when `key` is there, else generates (and stores the answer).
    void generate(const std::shared_ptr<Exchange>& exchange, std::optional<cache::CacheKey> key,
                  Scheduler& scheduler, ServingMetrics& metrics, GenerationPlan plan,
                  GenerationFormat format);

  private:
    cache::ResponseCache* cache_;
    cache::CacheMetrics* metrics_;
    ModelIdentity model_;
};

// Whether the request's Cache-Control header says no-cache or no-store.
bool opts_out_of_cache(const Request& request);

}  // namespace assistd::server
