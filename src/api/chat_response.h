// The answers of /v1/chat/completions: one chat.completion object, or a stream of
// chat.completion.chunk events. Field names and shapes are OpenAI's.
//
// Streams: each choice opens with a chunk whose delta is {"role": "assistant", "content": ""},
// then one chunk per piece of text, then an empty delta carrying finish_reason. With
// stream_options.include_usage every chunk has "usage": null and a last chunk with empty choices
// carries the usage; then "data: [DONE]".
//
// `logprobs` is the tokenizer that names the tokens of each choice's `logprobs` when the request
// asked for them, and null when it did not (then "logprobs": null, as OpenAI writes it).
//
// `tools` reads each choice's text for tool calls (assistant_message.h). A stream then holds back
// text that may still become a call until it is decided, and sends each call once it is whole:
// one delta naming it, one with its arguments. Log probabilities of held-back tokens ride on the
// next chunk of the choice.
#pragma once

#include <optional>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/assistant_message.h"
#include "api/completed_choice.h"
#include "api/response_meta.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

std::string chat_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 const Usage& usage, const Tokenizer* logprobs,
                                 const std::optional<ToolCallReading>& tools = std::nullopt);

// The SSE frames of one streamed chat completion. Methods are called in the order the engine
// produces text (piece* then finished, per choice; closing once after all choices finished);
// each returns ready-to-send frames, possibly several.
class ChatStream {
  public:
    ChatStream(ResponseMeta meta, int choice_count, bool include_usage, const Tokenizer* logprobs,
               const std::optional<ToolCallReading>& tools = std::nullopt);

    std::string piece(int index, std::string_view text, std::span<const TokenChoice> tokens);
    std::string finished(int index, const GenerationStats& stats);
    std::string closing(const Usage& usage);

  private:
    std::string frame(int index, nlohmann::json delta, nlohmann::json logprobs,
                      const nlohmann::json& finish_reason) const;
    std::string open_choice(int index);  // the role chunk, once per choice
    std::string pieces(int index, std::vector<chat::OutputPiece> pieces);
    nlohmann::json held_logprobs(int index);  // and forgets them

    // What reading one choice for tool calls keeps between pieces.
    struct CallReading {
        chat::ToolCallReader reader;
        int calls = 0;
        std::vector<TokenChoice> held_tokens;  // of text not sent yet
    };

    ResponseMeta meta_;
    std::vector<bool> opened_;
    bool include_usage_;
    const Tokenizer* logprobs_;
    std::optional<ToolCallReading> tools_;
    std::vector<CallReading> readings_;  // per choice; empty without tools
};

}  // namespace assistd::api
