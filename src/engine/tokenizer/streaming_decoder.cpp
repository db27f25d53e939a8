#include "engine/tokenizer/streaming_decoder.h"

#include "engine/tokenizer/utf8.h"

namespace assistd {

std::string StreamingDecoder::push(int32_t token) {
    pending_ += tokenizer_->token_to_piece(token, special_);
    const size_t ready = pending_.size() - utf8::incomplete_tail(pending_);
    std::string out = utf8::make_valid(std::string_view(pending_).substr(0, ready));
    pending_.erase(0, ready);
    return out;
}

std::string StreamingDecoder::flush() {
    std::string out = utf8::make_valid(pending_);
    pending_.clear();
    return out;
}

}  // namespace assistd
