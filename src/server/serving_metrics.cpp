#include "server/serving_metrics.h"

#include <algorithm>
#include <string>

#include "server/model_set.h"

namespace assistd::server {
namespace {

// The sum of `value` over every scheduler running.
template <typename Value>
double summed(const ModelSet& models, Value value) {
    double total = 0;
    models.for_each([&](const LoadedModel& loaded) { total += value(loaded.scheduler()); });
    return total;
}

}  // namespace

ServingMetrics::ServingMetrics(ops::MetricsRegistry& registry, const ModelSet& models)
    : registry_(registry),
      prompt_tokens_(
          registry.counter("assistd_prompt_tokens_total", "Number of prefill tokens processed.")),
      generation_tokens_(registry.counter("assistd_generation_tokens_total",
                                          "Number of generation tokens processed.")),
      time_to_first_token_(registry.histogram("assistd_time_to_first_token_seconds",
                                              "Histogram of time to first token in seconds.",
                                              ops::latency_buckets())),
      inter_token_latency_(
          registry.histogram("assistd_inter_token_latency_seconds",
                             "Histogram of the time between pieces of streamed text in seconds.",
                             ops::latency_buckets())),
      e2e_latency_(registry.histogram("assistd_e2e_request_latency_seconds",
                                      "Histogram of end to end request latency in seconds.",
                                      ops::latency_buckets())),
      queue_time_(registry.histogram("assistd_request_queue_time_seconds",
                                     "Histogram of time spent waiting in the queue in seconds.",
                                     ops::latency_buckets())) {
    registry.gauge_fn(
        "assistd_num_requests_running",
        "Number of sequences in the batch or "
        "preempted and waiting to resume.",
        [&models] { return summed(models, [](const Scheduler& s) { return s.running(); }); });
    registry.gauge_fn(
        "assistd_num_requests_waiting", "Number of requests waiting to start.",
        [&models] { return summed(models, [](const Scheduler& s) { return s.queued(); }); });
    registry.gauge_fn(
        "assistd_kv_cache_usage_perc",
        "KV-cache usage. 1 means 100 percent usage (prefix cache included).", [&models] {
            const double capacity =
                summed(models, [](const Scheduler& s) { return s.kv_usage().capacity_blocks; });
            const double used =
                summed(models, [](const Scheduler& s) { return s.kv_usage().used_blocks; });
            return capacity > 0 ? used / capacity : 0.0;
        });
    registry.counter_fn("assistd_prefix_cache_queries_total",
                        "Prefix cache queries, in terms of number of queried tokens.", [&models] {
                            return static_cast<double>(models.counters().prefix_queried_tokens);
                        });
    registry.counter_fn("assistd_prefix_cache_hits_total",
                        "Prefix cache hits, in terms of number of cached tokens.", [&models] {
                            return static_cast<double>(models.counters().prefix_hit_tokens);
                        });
    registry.counter_fn("assistd_num_preemptions_total",
                        "Cumulative number of preemptions from the engine.",
                        [&models] { return static_cast<double>(models.counters().preempted); });
    registry.gauge_fn("assistd_model_load_seconds",
                      "Seconds the slowest model running took to load.", [&models] {
                          double slowest = 0;
                          models.for_each([&](const LoadedModel& loaded) {
                              slowest = std::max(slowest, loaded.served().load_seconds);
                          });
                          return slowest;
                      });
}

void ServingMetrics::choice_finished(const GenerationStats& stats, double seconds) {
    prompt_tokens_.add(static_cast<double>(stats.n_prompt));
    generation_tokens_.add(static_cast<double>(stats.n_generated));
    e2e_latency_.observe(seconds);
    queue_time_.observe(stats.queue_seconds);
    const std::string reason = stats.finish == FinishReason::Cancelled
                                   ? "abort"
                                   : std::string(finish_reason_name(stats.finish));
    registry_
        .counter("assistd_request_success_total",
                 "Finished generations (one per choice) by finish reason.",
                 {{"finished_reason", reason}})
        .add();
}

void ServingMetrics::http_response(std::string_view route, unsigned status) {
    registry_
        .counter("assistd_http_requests_total", "HTTP responses by route pattern and status.",
                 {{"route", route.empty() ? "unmatched" : std::string(route)},
                  {"status", std::to_string(status)}})
        .add();
}

}  // namespace assistd::server
