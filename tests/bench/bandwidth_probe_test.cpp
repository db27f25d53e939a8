// The probe reads the whole buffer on every thread count and reports what it measured; how fast
// is the host's business, never the test's.
#include "bench/bandwidth_probe.h"

#include <gtest/gtest.h>

namespace assistd::bench {
namespace {

TEST(BandwidthProbe, DefaultBufferOutgrowsTheCaches) {
    EXPECT_GE(default_probe_bytes(), size_t{256} << 20);
    EXPECT_LE(default_probe_bytes(), size_t{1} << 30);  // a 4 GB server can still hold it
    EXPECT_EQ(default_probe_bytes() % (size_t{2} << 20), 0u);
}

TEST(BandwidthProbe, ReportsAPositiveRateForEachThreadCount) {
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        Result<Bandwidth> bw = measure_read_bandwidth(pool, size_t{8} << 20, 2);
        ASSERT_TRUE(bw.ok()) << bw.error().message;
        EXPECT_GT(bw->bytes_per_second, 0.0);
        EXPECT_EQ(bw->buffer_bytes, size_t{8} << 20);
        EXPECT_EQ(bw->n_threads, threads);
    }
}

TEST(BandwidthProbe, RoundsTheBufferToWholeHugePages) {
    ThreadPool pool(1);
    Result<Bandwidth> bw = measure_read_bandwidth(pool, (size_t{4} << 20) + 12345, 1);
    ASSERT_TRUE(bw.ok());
    EXPECT_EQ(bw->buffer_bytes, size_t{4} << 20);
}

}  // namespace
}  // namespace assistd::bench
