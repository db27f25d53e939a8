#include "bench/test_runner.h"

#include <chrono>
#include <ctime>
#include <random>

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

// The prompt path: every prompt token through the model before the first generated one.
void process_prompt(const Model& model, Sequence& seq, int64_t n_prompt, RandomTokens& tokens,
                    ThreadPool& pool) {
    for (int64_t pos = 0; pos < n_prompt; ++pos) model.forward(seq, tokens.next(), pos, pool);
}

// The decode path: one token at a time, each step reading all the weights.
void generate_tokens(const Model& model, Sequence& seq, int64_t first_pos, int64_t n_gen,
                     RandomTokens& tokens, ThreadPool& pool) {
    for (int64_t i = 0; i < n_gen; ++i) model.forward(seq, tokens.next(), first_pos + i, pool);
}

uint64_t run_once(const Model& model, ThreadPool& pool, int64_t n_prompt, int64_t n_gen,
                  RandomTokens& tokens) {
    Sequence seq = model.new_sequence(n_prompt + n_gen);
    const Clock::time_point start = Clock::now();
    process_prompt(model, seq, n_prompt, tokens, pool);
    generate_tokens(model, seq, n_prompt, n_gen, tokens, pool);
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
