#include "engine/tokenizer/special_tokens.h"

#include <cctype>

namespace assistd {
namespace {

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Splits one raw fragment at every occurrence of token `id`, appending the parts to `out`.
void split_fragment(const Vocab& vocab, int32_t id, std::string_view text,
                    std::vector<Fragment>& out) {
    const TokenData& token = vocab.token(id);
    while (!text.empty()) {
        const size_t match = text.find(token.text);
        if (match == std::string_view::npos) break;
        std::string_view left = text.substr(0, match);
        if (token.attr & token_attr::kLstrip) {
            while (!left.empty() && is_space(left.back())) left.remove_suffix(1);
        }
        if (!left.empty()) out.push_back({-1, left});
        out.push_back({id, text.substr(match, token.text.size())});
        text.remove_prefix(match + token.text.size());
        if (token.attr & token_attr::kRstrip) {
            while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
        }
    }
    if (!text.empty()) out.push_back({-1, text});
}

}  // namespace

std::vector<Fragment> partition_special_tokens(const Vocab& vocab, std::string_view text,
                                               bool parse_special) {
    std::vector<Fragment> fragments;
    if (text.empty()) return fragments;
    fragments.push_back({-1, text});
    constexpr uint32_t kOnlyWhenParsing = token_attr::kControl | token_attr::kUnknown;
    for (const int32_t id : vocab.special_tokens()) {
        if (!parse_special && (vocab.token(id).attr & kOnlyWhenParsing)) continue;
        std::vector<Fragment> next;
        next.reserve(fragments.size());
        for (const Fragment& fragment : fragments) {
            if (fragment.token >= 0) {
                next.push_back(fragment);
            } else {
                split_fragment(vocab, id, fragment.text, next);
            }
        }
        fragments = std::move(next);
    }
    return fragments;
}

}  // namespace assistd
