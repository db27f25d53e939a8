// Decoding: one sequence's side of the decode loop, everything after the forward pass.
//
// Given the logits that follow the sequence so far, it samples the next token, turns tokens into
// text (whole UTF-8 characters, stop strings held back and removed), hands that text to the sink
// together with the tokens it came from, and says which token to run next, if any. The forward
// pass is the caller's: one sequence alone (generate()) or many in one batch (the scheduler).
//
//   Decoding decoding(tokenizer, params, n_vocab, n_ctx, prompt);
//   logits = forward_batch(prompt);
//   while (std::optional<int32_t> next = decoding.next(logits, sink))
//       logits = forward(*next, decoding.next_position());
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "engine/generate/generator.h"
#include "engine/grammar/grammar_matcher.h"
#include "engine/sample/sampler.h"
#include "engine/sample/stop_strings.h"
#include "engine/tokenizer/streaming_decoder.h"

namespace assistd {

class Decoding {
  public:
    // Preconditions: validate(params.sampling) succeeded; prompt is non-empty, in the vocabulary
    // and shorter than n_ctx (check_prompt).
    Decoding(const Tokenizer& tokenizer, const GenerationParams& params, int32_t n_vocab,
             int64_t n_ctx, std::span<const int32_t> prompt);

    // Samples the token that follows `logits` and reports the text it completes. Returns the
    // token to run next, or nothing once generation has finished (see finish()).
    std::optional<int32_t> next(std::span<const float> logits, const TextSink& sink);

    bool finished() const { return finished_; }
    FinishReason finish() const { return finish_; }
    int64_t n_prompt() const { return n_prompt_; }
    int64_t n_generated() const { return static_cast<int64_t>(tokens_.size()) - n_prompt_; }
    // The position of the token next() returned.
    int64_t next_position() const { return static_cast<int64_t>(tokens_.size()) - 1; }
    // The prompt and every generated token, in order: what a recomputation runs again.
    std::span<const int32_t> tokens() const { return tokens_; }

  private:
    // A generated token whose text has not been handed to the sink yet.
    struct PendingToken {
        TokenChoice choice;
        size_t text_begin;  // where its text starts in everything the decoder produced
    };

    void end(FinishReason reason) {
        finished_ = true;
        finish_ = reason;
    }
    // Hands `text` to the sink with the tokens whose text starts in what has now been released;
    // `everything` releases all pending tokens. False if the sink cancelled.
    bool release(std::string_view text, bool everything, const TextSink& sink);
    // Generation ends without a stop string: what is held back is released.
    void release_rest(const TextSink& sink);
    // The next token, from those the grammar allows if there is one; nullopt if it allows none.
    std::optional<int32_t> sample(std::span<const float> logits);
    // Whether the grammar allows `token` next.
    bool fits(int32_t token);

    const Tokenizer& tokenizer_;
    Sampler sampler_;
    StreamingDecoder decoder_;
    StopStrings stops_;
    std::optional<GrammarMatcher> grammar_;
    std::shared_ptr<const TokenTrie> trie_;
    std::vector<uint8_t> allowed_;  // (n_vocab) reused mask
    int64_t max_tokens_;
    int top_logprobs_;  // -1: no log probabilities
    int64_t n_ctx_;
    int64_t n_prompt_;
    std::vector<int32_t> tokens_;
    std::deque<PendingToken> pending_;
    std::vector<TokenChoice> released_tokens_;  // reused buffer for the sink
    size_t decoded_bytes_ = 0;                  // bytes the decoder has produced
    size_t released_bytes_ = 0;                 // of those, bytes the sink has received
    bool finished_ = false;
    FinishReason finish_ = FinishReason::Length;
};

}  // namespace assistd
