#include "engine/generate/decoding.h"

#include <algorithm>
#include <cassert>

namespace assistd {

Decoding::Decoding(const Tokenizer& tokenizer, const GenerationParams& params, int32_t n_vocab,
                   int64_t n_ctx, std::span<const int32_t> prompt)
    : tokenizer_(tokenizer),
      sampler_(params.sampling, n_vocab),
      decoder_(tokenizer),
      stops_(params.stop),
      max_tokens_(params.max_tokens),
      top_logprobs_(params.logprobs),
      n_ctx_(n_ctx),
      n_prompt_(static_cast<int64_t>(prompt.size())),
      tokens_(prompt.begin(), prompt.end()) {
    for (int32_t token : prompt) sampler_.accept(token);
    if (params.constraint) {
        grammar_.emplace(params.constraint->grammar);
        trie_ = params.constraint->trie;
    }
}

// A model that follows the format mostly picks an allowed token anyway, so the token drawn without
// the mask is checked first and the mask over the whole vocabulary computed only when it is
// refused (as llama.cpp does). Drawing again from the masked distribution then gives every
// allowed token the probability the mask alone would give it (exactly so without top-k/top-p).
std::optional<int32_t> Decoding::sample(std::span<const float> logits) {
    if (!grammar_) return sampler_.sample(logits);
    const int32_t first = sampler_.sample(logits);
    if (fits(first)) return first;
    grammar_->allowed_tokens(*trie_, allowed_);
    if (std::find(allowed_.begin(), allowed_.end(), 1) == allowed_.end()) return std::nullopt;
    return sampler_.sample(logits, allowed_);
}

bool Decoding::fits(int32_t token) {
    if (tokenizer_.is_end_of_generation(token)) return grammar_->complete();
    const std::string piece = tokenizer_.token_to_piece(token);
    return !piece.empty() && grammar_->can_accept(piece);
}

std::optional<int32_t> Decoding::next(std::span<const float> logits, const TextSink& sink) {
    if (finished_) return std::nullopt;
    if (max_tokens_ >= 0 && n_generated() >= max_tokens_) {
        release_rest(sink);
        end(FinishReason::Length);
        return std::nullopt;
    }
    const std::optional<int32_t> sampled = sample(logits);
    if (!sampled) {  // the vocabulary cannot spell what the grammar needs next
        release_rest(sink);
        end(FinishReason::Length);
        return std::nullopt;
    }
    const int32_t token = *sampled;
    sampler_.accept(token);
    tokens_.push_back(token);
    if (tokenizer_.is_end_of_generation(token)) {
        release_rest(sink);
        end(FinishReason::Stop);
        return std::nullopt;
    }
    if (grammar_) {
        [[maybe_unused]] const bool fits = grammar_->accept(tokenizer_.token_to_piece(token));
        assert(fits);  // the mask allowed it
    }
    if (top_logprobs_ >= 0) {
        pending_.push_back({describe_choice(logits, token, top_logprobs_), decoded_bytes_});
    }
    const std::string piece = decoder_.push(token);
    decoded_bytes_ += piece.size();
    StopStrings::Step step = stops_.push(piece);
    if (!release(step.text, false, sink)) {
        end(FinishReason::Cancelled);
        return std::nullopt;
    }
    if (step.stopped) {
        end(FinishReason::Stop);
        return std::nullopt;
    }
    if (next_position() >= n_ctx_) {  // no room to run it: the context is full
        release_rest(sink);
        end(FinishReason::Length);
        return std::nullopt;
    }
    return token;
}

bool Decoding::release(std::string_view text, bool everything, const TextSink& sink) {
    released_bytes_ += text.size();
    released_tokens_.clear();
    while (!pending_.empty() && (everything || pending_.front().text_begin < released_bytes_)) {
        released_tokens_.push_back(std::move(pending_.front().choice));
        pending_.pop_front();
    }
    if (text.empty() && released_tokens_.empty()) return true;
    return sink(text, released_tokens_);
}

void Decoding::release_rest(const TextSink& sink) {
    const std::string decoded = decoder_.flush();
    decoded_bytes_ += decoded.size();
    StopStrings::Step last = stops_.push(decoded);
    const std::string rest = last.stopped ? last.text : last.text + stops_.flush();
    // Nothing more can be cancelled at the very end: the sink's answer changes nothing.
    release(rest, !last.stopped, sink);
}

}  // namespace assistd
