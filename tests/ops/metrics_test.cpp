// The Prometheus text format as the registry writes it.
#include "ops/metrics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "ops/process_metrics.h"

namespace assistd::ops {
namespace {

TEST(Metrics, CountersAndGaugesWithLabelsInTextFormat) {
    MetricsRegistry metrics;
    metrics.counter("requests_total", "Requests.", {{"route", "/v1/models"}, {"status", "200"}})
        .add(2);
    metrics.counter("requests_total", "Requests.", {{"route", "/v1/models"}, {"status", "200"}})
        .add();
    metrics.counter("requests_total", "Requests.", {{"route", "a\"b\\c\nd"}, {"status", "404"}})
        .add(0.5);
    metrics.gauge("temperature", "Degrees.").set(-1.25);
    EXPECT_EQ(metrics.render(),
              "# HELP requests_total Requests.\n"
              "# TYPE requests_total counter\n"
              "requests_total{route=\"/v1/models\",status=\"200\"} 3\n"
              "requests_total{route=\"a\\\"b\\\\c\\nd\",status=\"404\"} 0.5\n"
              "# HELP temperature Degrees.\n"
              "# TYPE temperature gauge\n"
              "temperature -1.25\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
    MetricsRegistry metrics;
    Histogram& latency = metrics.histogram("latency_seconds", "Latency.", {0.1, 1.0});
    for (double value : {0.05, 0.1, 0.5, 3.0}) latency.observe(value);
    EXPECT_EQ(metrics.render(),
              "# HELP latency_seconds Latency.\n"
              "# TYPE latency_seconds histogram\n"
              "latency_seconds_bucket{le=\"0.1\"} 2\n"
              "latency_seconds_bucket{le=\"1\"} 3\n"
              "latency_seconds_bucket{le=\"+Inf\"} 4\n"
              "latency_seconds_sum 3.65\n"
              "latency_seconds_count 4\n");
}

TEST(Metrics, ReadFunctionsAreCalledAtRenderTime) {
    MetricsRegistry metrics;
    double queued = 1;
    metrics.gauge_fn("queued", "Queued.", [&] { return queued; });
    queued = 7;
    EXPECT_NE(metrics.render().find("\nqueued 7\n"), std::string::npos);
}

TEST(Metrics, ANameRegisteredTwiceDifferentlyIsAnError) {
    MetricsRegistry metrics;
    metrics.counter("x_total", "X.");
    EXPECT_THROW(metrics.gauge("x_total", "X."), std::logic_error);
    EXPECT_THROW(metrics.counter("x_total", "Other help."), std::logic_error);
    EXPECT_EQ(&metrics.counter("x_total", "X."), &metrics.counter("x_total", "X."));
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
    MetricsRegistry metrics;
    Counter& counter = metrics.counter("hits_total", "Hits.");
    Histogram& histogram = metrics.histogram("h", "H.", latency_buckets());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                counter.add();
                histogram.observe(0.003);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(counter.value(), 40000.0);
    EXPECT_EQ(histogram.snapshot().cumulative.back(), 40000u);
}

TEST(Metrics, ProcessMetricsReadThisProcess) {
    MetricsRegistry metrics;
    add_process_metrics(metrics);
    const std::string text = metrics.render();
    for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                             "process_open_fds ", "process_start_time_seconds "}) {
        const size_t at = text.find(std::string("\n") + name);
        ASSERT_NE(at, std::string::npos) << name;
        const double value = std::stod(text.substr(at + 1 + std::string(name).size()));
        // A test process may not have used one clock tick of CPU yet.
        if (std::string(name) == "process_cpu_seconds_total ") {
            EXPECT_GE(value, 0.0);
        } else {
            EXPECT_GT(value, 0.0) << name;
        }
    }
}

}  // namespace
}  // namespace assistd::ops
