#include "engine/tokenizer/bpe_tokenizer.h"

#include <string>

#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/symbol_merge.h"

namespace assistd {

void bpe_tokenize(const Vocab& vocab, const PreTokenizer& pre_tokenizer, std::string_view text,
                  std::vector<int32_t>& out) {
    const auto rank_of = [&](std::string_view left,
                             std::string_view right) -> std::optional<double> {
        const int32_t rank = vocab.merge_rank(left, right);
        if (rank < 0) return std::nullopt;
        return static_cast<double>(rank);
    };
    for (const std::string_view raw_word : pre_tokenizer.split(text)) {
        const std::string word = byte_unicode::encode(raw_word);
        if (vocab.ignore_merges()) {
            if (const int32_t id = vocab.find(word); id >= 0) {
                out.push_back(id);
                continue;
            }
        }
        for (const std::string_view piece : merge_symbols(word, rank_of)) {
            if (const int32_t id = vocab.find(piece); id >= 0) {
                out.push_back(id);
                continue;
            }
            // As llama.cpp: a symbol that is not a token is looked up byte by byte, and bytes
            // with no one-byte token are dropped.
            for (const char byte : piece) {
                if (const int32_t id = vocab.find(std::string_view(&byte, 1)); id >= 0) {
                    out.push_back(id);
                }
            }
        }
    }
}

}  // namespace assistd
