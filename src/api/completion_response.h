// The answers of /v1/completions: one text_completion object, or a stream of text_completion
// events (OpenAI uses the same object name for both). With echo, each choice's text starts with
// its prompt's text; in a stream, the prompt comes with the choice's first event. `logprobs` as
// in chat_response.h.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/completed_choice.h"
#include "api/response_meta.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

// choices[i] answers prompt i / n; echo_texts has one entry per prompt (see echo_texts()).
std::string text_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 std::span<const std::string> echo_texts, int n, const Usage& usage,
                                 const Tokenizer* logprobs);

// The SSE frames of one streamed text completion; called as ChatStream is.
class CompletionStream {
  public:
    CompletionStream(ResponseMeta meta, std::vector<std::string> echo_texts, int n,
                     bool include_usage, const Tokenizer* logprobs);

    std::string piece(int index, std::string_view text, std::span<const TokenChoice> tokens);
    std::string finished(int index, const GenerationStats& stats);
    std::string closing(const Usage& usage);

  private:
    std::string frame(int index, std::string_view text, nlohmann::json logprobs,
                      const nlohmann::json& finish_reason);

    ResponseMeta meta_;
    std::vector<std::string> echo_texts_;
    int n_;
    std::vector<bool> echoed_;
    std::vector<size_t> text_offsets_;  // of each choice's next token, for logprobs.text_offset
    bool include_usage_;
    const Tokenizer* logprobs_;
};

}  // namespace assistd::api
