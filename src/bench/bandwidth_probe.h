// A streaming-read memory bandwidth probe: the speed limit of decoding, which reads every weight
// once per generated token and reuses none of them while they are still in cache.
//
//   ThreadPool pool(2);
//   Result<Bandwidth> bw = measure_read_bandwidth(pool, default_probe_bytes());
//   double gbs = bw->bytes_per_second / 1e9;
#pragma once

#include <cstddef>

#include "common/result.h"
#include "engine/tensor/thread_pool.h"

namespace assistd::bench {

struct Bandwidth {
    double bytes_per_second = 0.0;  // the fastest pass
    size_t buffer_bytes = 0;
    int n_threads = 0;
};

// A buffer size that no cache on this host can hold: 16 x the last-level cache, at least 256 MiB,
// so that almost every byte of a pass comes from DRAM, as weights do during decode; at most 1 GiB
// and an eighth of the memory available, since virtual machines report last-level caches of
// hundreds of MB (16 x 480 MiB was 7.5 GiB, more than a 4 GB server has; 0.25-7.5 GiB all measured
// the same bandwidth there).
size_t default_probe_bytes();

// Reads `buffer_bytes` of anonymous memory `passes` times, split across the pool's threads as the
// forward pass splits a matrix, and reports the fastest pass (the others lost time to noise, not
// to the memory). An Error when the buffer cannot be allocated.
Result<Bandwidth> measure_read_bandwidth(ThreadPool& pool, size_t buffer_bytes, int passes = 5);

}  // namespace assistd::bench
