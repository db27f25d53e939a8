// FinishCheck: decides, token by token, whether generation ends, and why.
//
// The reasons map onto OpenAI's finish_reason: an end-of-generation token or a stop string is
// "stop", running out of max_tokens is "length".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace assistd {

enum class FinishReason {
    kNone,             // keep generating
    kEndOfGeneration,  // the model emitted an end-of-generation token (EOS, <|im_end|>, <|eot_id|>)
    kStopString,       // StopStrings matched
    kMaxTokens,        // the token budget is spent
};

// "stop", "length", or "" for kNone.
std::string_view openai_finish_reason(FinishReason reason);

class FinishCheck {
  public:
    // eog_tokens: the vocabulary's end-of-generation ids; max_tokens < 0: no limit but the context.
    FinishCheck(std::vector<int32_t> eog_tokens, int32_t max_tokens);

    // Call with each sampled token before detokenizing it. An end-of-generation token is not part
    // of the answer: do not emit it. A token that reaches max_tokens is: emit it, then stop.
    FinishReason after_token(int32_t token);

    int32_t generated() const { return generated_; }

  private:
    std::vector<int32_t> eog_tokens_;
    int32_t max_tokens_;
    int32_t generated_ = 0;
};

}  // namespace assistd
