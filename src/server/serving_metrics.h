// The metrics of serving a model, named as vLLM names them with the prefix `assistd_` for vLLM's
// `vllm:` (Prometheus reserves colons for recording rules): request and token counts, latencies as
// the client sees them, the schedulers' queues, batches and KV caches (summed over the model
// versions running), and HTTP answers by route. Registered once per server.
#pragma once

#include <chrono>
#include <string_view>

#include "engine/generate/generator.h"
#include "engine/sched/scheduler.h"
#include "ops/metrics.h"

namespace assistd::server {

class ModelSet;

class ServingMetrics {
  public:
    // `models` must outlive this.
    ServingMetrics(ops::MetricsRegistry& registry, const ModelSet& models);

    // A choice's first text reached the client `seconds` after its request arrived.
    void first_token(double seconds) { time_to_first_token_.observe(seconds); }
    // Between two pieces of one choice's text.
    void token_gap(double seconds) { inter_token_latency_.observe(seconds); }
    // A choice ended (stopped, reached its length, or its client left) `seconds` after arrival.
    void choice_finished(const GenerationStats& stats, double seconds);
    // Every answer, by the route pattern that took it ("" when none did).
    void http_response(std::string_view route, unsigned status);

  private:
    ops::MetricsRegistry& registry_;
    ops::Counter& prompt_tokens_;
    ops::Counter& generation_tokens_;
    ops::Histogram& time_to_first_token_;
    ops::Histogram& inter_token_latency_;
    ops::Histogram& e2e_latency_;
    ops::Histogram& queue_time_;
};

}  // namespace assistd::server
