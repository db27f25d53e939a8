// Merging the metrics texts of several worker processes into the totals /metrics answers.
#include "ops/metrics_merge.h"

#include <gtest/gtest.h>

#include "ops/metrics.h"

namespace assistd::ops {
namespace {

// One worker's registry after serving `requests` requests that took `seconds` each.
std::string worker_text(int requests, double seconds, const std::string& route) {
    MetricsRegistry metrics;
    metrics.counter("requests_total", "Requests.", {{"route", route}}).add(requests);
    Histogram& latency = metrics.histogram("latency_seconds", "Latency.", {0.1, 1.0});
    for (int i = 0; i < requests; ++i) latency.observe(seconds);
    metrics.gauge("assistd_kv_cache_usage_perc", "KV use.").set(requests * 0.25);
    metrics.gauge("process_start_time_seconds", "Start.").set(1000 + requests);
    return metrics.render();
}

TEST(MetricsMerge, AddsCountersAndHistogramsSeriesBySeries) {
    const std::string merged = merge_metric_texts(
        {worker_text(2, 0.05, "/a"), worker_text(3, 0.5, "/a"), worker_text(1, 5.0, "/b")});
    EXPECT_EQ(merged,
              "# HELP assistd_kv_cache_usage_perc KV use.\n"
              "# TYPE assistd_kv_cache_usage_perc gauge\n"
              "assistd_kv_cache_usage_perc 0.5\n"
              "# HELP latency_seconds Latency.\n"
              "# TYPE latency_seconds histogram\n"
              "latency_seconds_bucket{le=\"0.1\"} 2\n"
              "latency_seconds_bucket{le=\"1\"} 5\n"
              "latency_seconds_bucket{le=\"+Inf\"} 6\n"
              "latency_seconds_sum 6.6\n"
              "latency_seconds_count 6\n"
              "# HELP process_start_time_seconds Start.\n"
              "# TYPE process_start_time_seconds gauge\n"
              "process_start_time_seconds 1001\n"
              "# HELP requests_total Requests.\n"
              "# TYPE requests_total counter\n"
              "requests_total{route=\"/a\"} 5\n"
              "requests_total{route=\"/b\"} 1\n");
}

TEST(MetricsMerge, OneTextComesBackUnchanged) {
    const std::string text = worker_text(4, 0.5, "/a");
    EXPECT_EQ(merge_metric_texts({text}), text);
}

}  // namespace
}  // namespace assistd::ops
