// Decode is a chain of matrix-vector products whose weights do not fit in any cache, so its speed
// limit is the memory's read bandwidth. These benchmarks measure that bandwidth (a plain read and
// a memcpy) and each weight type's matvec over weights several times the L3 cache, so that
// "GB/s" of a matvec divided by the read bandwidth is the fraction of the bound it reaches.
//
//   build-kernels/bench/matvec_bench --benchmark_filter=Read|Matvec
//
// Shapes are the feed-forward matrices of Qwen2.5-0.5B (896 x 4864, 4864 x 896) and
// TinyLlama-1.1B (2048 x 5632, 5632 x 2048); the last argument is the thread count.
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "engine/tensor/matrix.h"
#include "engine/tensor/panel_kernels.h"
#include "engine/tensor/quant.h"
#include "engine/tensor/thread_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {
namespace {

// Well beyond the 36 MiB L3 of the machines we measure on, so every pass reads from memory.
constexpr size_t kWorkingSetBytes = size_t{256} << 20;

ThreadPool& pool_of(int threads) {
    static ThreadPool one(1);
    static ThreadPool two(2);
    return threads == 1 ? one : two;
}

std::vector<uint8_t>& big_buffer() {
    static std::vector<uint8_t> buffer(kWorkingSetBytes, 1);
    return buffer;
}

#if defined(__x86_64__)
// Sums 64-bit lanes of 32-byte loads: four independent chains keep enough loads in flight.
__attribute__((target("avx2"))) uint64_t read_all(const uint8_t* p, size_t bytes) {
    __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                      _mm256_setzero_si256()};
    for (size_t i = 0; i + 128 <= bytes; i += 128) {
        for (int k = 0; k < 4; ++k) {
            const auto* at = reinterpret_cast<const __m256i*>(p + i + 32 * k);
            acc[k] = _mm256_add_epi64(acc[k], _mm256_loadu_si256(at));
        }
    }
    const __m256i sum =
        _mm256_add_epi64(_mm256_add_epi64(acc[0], acc[1]), _mm256_add_epi64(acc[2], acc[3]));
    uint64_t lanes[4];
    std::memcpy(lanes, &sum, sizeof lanes);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#else
uint64_t read_all(const uint8_t* p, size_t bytes) {
    uint64_t sum = 0;
    for (size_t i = 0; i < bytes; ++i) sum += p[i];
    return sum;
}
#endif

// The bound: bytes per second one or two threads can read, split as the matvec splits its rows.
void BM_Read(benchmark::State& state) {
    const std::vector<uint8_t>& buffer = big_buffer();
    ThreadPool& pool = pool_of(static_cast<int>(state.range(0)));
    constexpr int64_t kChunks = 1024;
    const size_t chunk = buffer.size() / kChunks;
    std::vector<uint64_t> sink(kChunks);
    for (auto _ : state) {
        pool.parallel_for(kChunks, [&](int64_t begin, int64_t end) {
            for (int64_t c = begin; c < end; ++c)
                sink[c] = read_all(buffer.data() + c * chunk, chunk);
        });
        benchmark::DoNotOptimize(sink.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.size()));
}
BENCHMARK(BM_Read)->Arg(1)->Arg(2)->UseRealTime();

// memcpy moves each byte twice (a read and a write); bytes counts both.
void BM_Memcpy(benchmark::State& state) {
    const std::vector<uint8_t>& source = big_buffer();
    std::vector<uint8_t> target(source.size() / 2);
    for (auto _ : state) {
        std::memcpy(target.data(), source.data(), target.size());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * target.size() * 2));
}
BENCHMARK(BM_Memcpy)->UseRealTime();

// Copies of one quantized matrix, enough of them to fill the working set; each matvec takes the
// next copy, so weights always come from memory as in a decode step through all layers. Where the
// engine would repack the matrix into panels (panel_format.h), each copy has its panels too.
struct WeightSet {
    std::vector<uint8_t> bytes;
    std::vector<Matrix> copies;
    std::vector<std::unique_ptr<PanelWeights>> panels;
};

WeightSet make_weights(DType type, int64_t rows, int64_t cols) {
    std::mt19937 rng(1);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> values(static_cast<size_t>(rows * cols));
    for (float& v : values) v = normal(rng);
    const size_t matrix_bytes = static_cast<size_t>(rows) * row_bytes(type, cols);
    const size_t n_copies = std::max<size_t>(1, kWorkingSetBytes / matrix_bytes);
    WeightSet set;
    set.bytes.resize(matrix_bytes * n_copies);
    quantize_row(type, values.data(), set.bytes.data(), rows * cols);
    for (size_t c = 0; c < n_copies; ++c) {
        if (c > 0) std::memcpy(set.bytes.data() + c * matrix_bytes, set.bytes.data(), matrix_bytes);
        set.copies.push_back(Matrix{type, cols, rows, set.bytes.data() + c * matrix_bytes});
        if (panel_dot_function() == nullptr || !panel_type(type)) continue;
        set.panels.push_back(pack_panels(set.copies.back()));
        set.copies.back().panels = set.panels.back().get();
    }
    return set;
}

// The last weight set made, kept for the next repetition of the same benchmark: encoding
// hundreds of MB of K-quants takes seconds, and only one set fits in memory at a time.
const WeightSet& weights_for(DType type, int64_t rows, int64_t cols) {
    static std::unique_ptr<WeightSet> cached;
    static DType cached_type;
    static int64_t cached_rows = 0, cached_cols = 0;
    if (!cached || cached_type != type || cached_rows != rows || cached_cols != cols) {
        cached.reset();  // free the old set before making the new one
        cached = std::make_unique<WeightSet>(make_weights(type, rows, cols));
        cached_type = type;
        cached_rows = rows;
        cached_cols = cols;
    }
    return *cached;
}

// args: rows, cols, threads, activation mode (0 float, 1 int8)
void BM_Matvec(benchmark::State& state, DType type) {
    const int64_t rows = state.range(0);
    const int64_t cols = state.range(1);
    ThreadPool& pool = pool_of(static_cast<int>(state.range(2)));
    const auto mode = state.range(3) == 1 ? ActivationMode::Int8 : ActivationMode::Float;
    const WeightSet& weights = weights_for(type, rows, cols);
    std::vector<float> x(static_cast<size_t>(cols), 0.5f);
    std::vector<float> y(static_cast<size_t>(rows));
    size_t next = 0;
    for (auto _ : state) {
        matvec(weights.copies[next], x.data(), y.data(), pool, mode);
        next = (next + 1) % weights.copies.size();
        benchmark::DoNotOptimize(y.data());
    }
    const size_t matrix_bytes = static_cast<size_t>(rows) * row_bytes(type, cols);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * matrix_bytes));
}

// Shapes outermost, so consecutive benchmarks share one weight set.
void decode_shapes(benchmark::internal::Benchmark* b) {
    for (auto [rows, cols] :
         {std::pair<int64_t, int64_t>{4864, 896}, {896, 4864}, {5632, 2048}, {2048, 5632}}) {
        for (int64_t threads : {1, 2}) {
            for (int64_t mode : {1, 0}) b->Args({rows, cols, threads, mode});
        }
    }
    b->ArgNames({"rows", "cols", "threads", "int8"})->UseRealTime();
}

BENCHMARK_CAPTURE(BM_Matvec, q4_0, DType::Q4_0)->Apply(decode_shapes);
BENCHMARK_CAPTURE(BM_Matvec, q5_0, DType::Q5_0)->Apply(decode_shapes);
BENCHMARK_CAPTURE(BM_Matvec, q8_0, DType::Q8_0)->Apply(decode_shapes);
BENCHMARK_CAPTURE(BM_Matvec, q4_K, DType::Q4_K)->Apply(decode_shapes);
BENCHMARK_CAPTURE(BM_Matvec, q6_K, DType::Q6_K)->Apply(decode_shapes);
BENCHMARK_CAPTURE(BM_Matvec, f16, DType::F16)->Apply(decode_shapes);

// Batched decode and prompt processing: one batch of activations per weight read (args: rows,
// cols, threads, batch), reported through items as activations (tokens) per second, so the
// gain of a batch over batch 1 is the ratio of its items/s.
void BM_Matmul(benchmark::State& state, DType type) {
    const int64_t rows = state.range(0);
    const int64_t cols = state.range(1);
    const int64_t batch = state.range(3);
    ThreadPool& pool = pool_of(static_cast<int>(state.range(2)));
    const WeightSet& weights = weights_for(type, rows, cols);
    std::vector<float> x(static_cast<size_t>(batch * cols), 0.5f);
    std::vector<float> y(static_cast<size_t>(batch * rows));
    size_t next = 0;
    for (auto _ : state) {
        matmul(weights.copies[next], x.data(), batch, y.data(), pool, ActivationMode::Int8);
        next = (next + 1) % weights.copies.size();
        benchmark::DoNotOptimize(y.data());
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void batch_shapes(benchmark::internal::Benchmark* b) {
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{4864, 896}, {896, 4864}}) {
        for (int64_t batch : {1, 4, 8, 16, 64, 256}) b->Args({rows, cols, 2, batch});
    }
    b->ArgNames({"rows", "cols", "threads", "batch"})->UseRealTime();
}

BENCHMARK_CAPTURE(BM_Matmul, q4_0, DType::Q4_0)->Apply(batch_shapes);
BENCHMARK_CAPTURE(BM_Matmul, q8_0, DType::Q8_0)->Apply(batch_shapes);
BENCHMARK_CAPTURE(BM_Matmul, q4_K, DType::Q4_K)->Apply(batch_shapes);
BENCHMARK_CAPTURE(BM_Matmul, q6_K, DType::Q6_K)->Apply(batch_shapes);

}  // namespace
}  // namespace assistd

BENCHMARK_MAIN();
