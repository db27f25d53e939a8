#include "engine/sample/finish_check.h"

#include <algorithm>
#include <utility>

namespace assistd {

std::string_view openai_finish_reason(FinishReason reason) {
    switch (reason) {
        case FinishReason::kEndOfGeneration:
        case FinishReason::kStopString:
            return "stop";
        case FinishReason::kMaxTokens:
            return "length";
        case FinishReason::kNone:
            break;
    }
    return "";
}

FinishCheck::FinishCheck(std::vector<int32_t> eog_tokens, int32_t max_tokens)
    : eog_tokens_(std::move(eog_tokens)), max_tokens_(max_tokens) {}

FinishReason FinishCheck::after_token(int32_t token) {
    if (std::find(eog_tokens_.begin(), eog_tokens_.end(), token) != eog_tokens_.end()) {
        return FinishReason::kEndOfGeneration;
    }
    ++generated_;
    if (max_tokens_ >= 0 && generated_ >= max_tokens_) return FinishReason::kMaxTokens;
    return FinishReason::kNone;
}

}  // namespace assistd
