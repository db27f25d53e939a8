#include "bench/test_runner.h"

#include <chrono>
#include <ctime>
#include <random>
#include <vector>

namespace assistd::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string utc_now_iso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

class RandomTokens {
  public:
    explicit RandomTokens(int64_t n_vocab) : pick_(0, static_cast<int32_t>(n_vocab - 1)) {}
    int32_t next() { return pick_(engine_); }

  private:
    std::mt19937 engine_{42};
    std::uniform_int_distribution<int32_t> pick_;
};

uint64_t run_once(const Model& model, ThreadPool& pool, int64_t n_prompt, int64_t n_gen,
                  RandomTokens& tokens) {
    Sequence seq = model.new_sequence(n_prompt + n_gen);
    std::vector<int32_t> prompt(static_cast<size_t>(n_prompt));
    for (int32_t& token : prompt) token = tokens.next();
    const Clock::time_point start = Clock::now();
    // The prompt in one batch, each weight read once for all its tokens, as serving runs it.
    if (n_prompt > 0) model.forward_batch(seq, prompt, 0, pool);
    // Then one token at a time, each step reading all the weights.
    for (int64_t i = 0; i < n_gen; ++i) model.forward(seq, tokens.next(), n_prompt + i, pool);
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

}  // namespace

TestResult run_test(const Model& model, ThreadPool& pool, const TestShape& shape, int repetitions) {
    TestResult result;
    result.shape = shape;
    result.test_time = utc_now_iso8601();
    RandomTokens tokens(model.hparams().n_vocab);
    // Warm-up as llama-bench's: the whole prompt, or a single generated token, to fault in the
    // weights and wake the pool's threads before anything is timed.
    run_once(model, pool, shape.n_prompt, shape.n_prompt > 0 ? 0 : 1, tokens);
    for (int rep = 0; rep < repetitions; ++rep) {
        result.samples_ns.push_back(run_once(model, pool, shape.n_prompt, shape.n_gen, tokens));
    }
    return result;
}

}  // namespace assistd::bench
