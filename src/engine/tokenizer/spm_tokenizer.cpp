#include "engine/tokenizer/spm_tokenizer.h"

#include "engine/tokenizer/symbol_merge.h"

namespace assistd {

void spm_tokenize(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out) {
    // Lower ranks merge first, so a higher score is a lower rank.
    const auto rank_of = [&](std::string_view left,
                             std::string_view right) -> std::optional<double> {
        const int32_t id = vocab.find(std::string_view(left.data(), left.size() + right.size()));
        if (id < 0) return std::nullopt;
        return -static_cast<double>(vocab.token(id).score);
    };
    for (const std::string_view piece : merge_symbols(text, rank_of)) {
        if (const int32_t id = vocab.find(piece); id >= 0) {
            out.push_back(id);
            continue;
        }
        // Every merged symbol is a token, so only a single character can be missing here.
        for (const char byte : piece) out.push_back(vocab.byte_token(static_cast<uint8_t>(byte)));
    }
}

}  // namespace assistd
