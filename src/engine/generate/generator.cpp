#include "engine/generate/generator.h"

#include <chrono>

#include "engine/sample/sampler.h"
#include "engine/sample/stop_strings.h"
#include "engine/tokenizer/streaming_decoder.h"

namespace assistd {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

Result<void> check_prompt(std::span<const int32_t> prompt, const Tokenizer& tokenizer,
                          int64_t n_ctx) {
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

}  // namespace

Result<GenerationStats> generate(const Model& model, const Tokenizer& tokenizer, ThreadPool& pool,
                                 std::span<const int32_t> prompt, const GenerationParams& params,
                                 const TextSink& sink) {
    Result<void> valid = validate(params.sampling);
    if (!valid) return valid.error();
    Sequence seq = model.new_sequence(params.n_ctx);
    const int64_t n_ctx = seq.kv.n_ctx();
    Result<void> prompt_ok = check_prompt(prompt, tokenizer, n_ctx);
    if (!prompt_ok) return prompt_ok.error();

    GenerationStats stats;
    stats.n_prompt = static_cast<int64_t>(prompt.size());
    Sampler sampler(params.sampling, static_cast<int32_t>(model.hparams().n_vocab));
    StreamingDecoder decoder(tokenizer);
    StopStrings stops(params.stop);

    const Clock::time_point prompt_start = Clock::now();
    std::span<const float> logits = model.forward_batch(seq, prompt, 0, pool);
    for (int32_t token : prompt) sampler.accept(token);
    stats.prompt_seconds = seconds_since(prompt_start);

    const Clock::time_point generate_start = Clock::now();
    stats.finish = FinishReason::Length;
    bool stopped_by_string = false;
    for (int64_t pos = stats.n_prompt;; ++pos) {
        if (params.max_tokens >= 0 && stats.n_generated >= params.max_tokens) break;
        const int32_t token = sampler.sample(logits);
        sampler.accept(token);
        ++stats.n_generated;
        if (tokenizer.is_end_of_generation(token)) {
            stats.finish = FinishReason::Stop;
            break;
        }
        StopStrings::Step step = stops.push(decoder.push(token));
        if (!step.text.empty() && !sink(step.text)) {
            stats.finish = FinishReason::Cancelled;
            break;
        }
        if (step.stopped) {
            stats.finish = FinishReason::Stop;
            stopped_by_string = true;
            break;
        }
        if (pos >= n_ctx) break;
        logits = model.forward(seq, token, pos, pool);
    }
    if (stats.finish != FinishReason::Cancelled && !stopped_by_string) {
        // Release what was held back: an unfinished UTF-8 character, a possible stop string.
        StopStrings::Step last = stops.push(decoder.flush());
        std::string rest = last.stopped ? last.text : last.text + stops.flush();
        if (!rest.empty()) sink(rest);
    }
    stats.generate_seconds = seconds_since(generate_start);
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
