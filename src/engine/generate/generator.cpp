#include "engine/generate/generator.h"

#include <chrono>

#include "engine/generate/decoding.h"

namespace assistd {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

Result<void> check_generation(const GenerationParams& params, std::span<const int32_t> prompt,
                              const Tokenizer& tokenizer, int64_t n_ctx) {
    Result<void> valid = validate(params.sampling);
    if (!valid) return valid.error();
    if (params.logprobs < -1 || params.logprobs > kMaxTopLogprobs) {
        return Error{"generate: logprobs must be -1 (none) or 0.." +
                     std::to_string(kMaxTopLogprobs) + " alternatives"};
    }
    if (prompt.empty()) return Error{"generate: the prompt has no tokens"};
    if (static_cast<int64_t>(prompt.size()) >= n_ctx) {
        return Error{"generate: the prompt has " + std::to_string(prompt.size()) +
                     " tokens, which does not leave room in a context of " + std::to_string(n_ctx)};
    }
    for (int32_t token : prompt) {
        if (token < 0 || token >= tokenizer.n_vocab()) {
            return Error{"generate: token id " + std::to_string(token) +
                         " is outside the vocabulary (size " + std::to_string(tokenizer.n_vocab()) +
                         ")"};
        }
    }
    return {};
}

Result<GenerationStats> generate(const Model& model, const Tokenizer& tokenizer, ThreadPool& pool,
                                 std::span<const int32_t> prompt, const GenerationParams& params,
                                 const TextSink& sink) {
    const int64_t n_ctx = model.context_size(params.n_ctx);
    Result<void> ok = check_generation(params, prompt, tokenizer, n_ctx);
    if (!ok) return ok.error();
    Sequence seq = model.new_sequence(params.n_ctx);

    GenerationStats stats;
    stats.n_prompt = static_cast<int64_t>(prompt.size());
    Decoding decoding(tokenizer, params, static_cast<int32_t>(model.hparams().n_vocab), n_ctx,
                      prompt);
    const Clock::time_point prompt_start = Clock::now();
    std::span<const float> logits = model.forward_batch(seq, prompt, 0, pool);
    stats.prompt_seconds = seconds_since(prompt_start);

    const Clock::time_point generate_start = Clock::now();
    while (std::optional<int32_t> next = decoding.next(logits, sink)) {
        logits = model.forward(seq, *next, decoding.next_position(), pool);
    }
    stats.generate_seconds = seconds_since(generate_start);
    stats.n_generated = decoding.n_generated();
    stats.finish = decoding.finish();
    return stats;
}

std::string_view finish_reason_name(FinishReason reason) {
    switch (reason) {
        case FinishReason::Stop:
            return "stop";
        case FinishReason::Length:
            return "length";
        case FinishReason::Cancelled:
            return "cancelled";
    }
    return "unknown";
}

}  // namespace assistd
