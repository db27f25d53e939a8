// generate(): the decode loop of one sequence — prompt in, streamed text out.
//
// The prompt is run as one batch into a fresh KV cache, then Decoding samples tokens until an
// end-of-generation token, a stop string, max_tokens or the end of the context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/grammar/grammar.h"
#include "engine/grammar/token_trie.h"
#include "engine/model/model.h"
#include "engine/sample/sampler_params.h"
#include "engine/sample/token_logprobs.h"
#include "engine/tensor/thread_pool.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd {

// Output held to a grammar (structured output, forced tool calls): at every step only tokens that
// continue a sentence of the grammar may be sampled, and end-of-generation only once it is whole.
// If max_tokens or the context runs out first, the output stops unfinished (finish "length").
struct GrammarConstraint {
    std::shared_ptr<const Grammar> grammar;
    std::shared_ptr<const TokenTrie> trie;  // the vocabulary's, shared by every request
};

struct GenerationParams {
    SamplerParams sampling;
    int64_t max_tokens = -1;  // -1: until end of generation or the context is full
    std::vector<std::string> stop;
    int64_t n_ctx = 0;  // 0: the model's default (see Model::new_sequence)
    // -1: no log probabilities; otherwise every generated token is reported with its log
    // probability and this many most likely alternatives (0..kMaxTopLogprobs).
    int logprobs = -1;
    std::optional<GrammarConstraint> constraint;  // none: free text
};

inline constexpr int kMaxTopLogprobs = 20;

enum class FinishReason { Stop, Length, Cancelled };

struct GenerationStats {
    int64_t n_prompt = 0;
    int64_t n_cached = 0;  // prompt tokens whose keys and values were reused, not computed
    int64_t n_generated = 0;
    FinishReason finish = FinishReason::Stop;
    double queue_seconds = 0.0;  // waiting to start (the scheduler's queue)
    double prompt_seconds = 0.0;
    double generate_seconds = 0.0;
};

// Receives generated text as it becomes final (whole UTF-8 characters, stop strings removed),
// with the tokens whose text starts in it when log probabilities were asked for (a token may
// arrive with empty text: a character still unfinished, a token that prints nothing).
// Returning false cancels the generation (e.g. the client went away).
using TextSink = std::function<bool(std::string_view text, std::span<const TokenChoice> tokens)>;

Result<GenerationStats> generate(const Model& model, const Tokenizer& tokenizer, ThreadPool& pool,
                                 std::span<const int32_t> prompt, const GenerationParams& params,
                                 const TextSink& sink);

std::string_view finish_reason_name(FinishReason reason);  // "stop", "length", "cancelled"

// Whether a request's parameters and prompt can run in a context of n_ctx positions.
Result<void> check_generation(const GenerationParams& params, std::span<const int32_t> prompt,
                              const Tokenizer& tokenizer, int64_t n_ctx);

}  // namespace assistd
