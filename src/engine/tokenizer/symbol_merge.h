// merge_symbols: the pair-merging loop SPM and BPE share.
//
// The text starts as one symbol per UTF-8 character. The adjacent pair with the lowest rank is
// merged (ties: the leftmost pair), its neighbours are re-ranked, and so on until no pair has a
// rank. A priority queue keeps this O(n log n); a queued pair whose symbols changed since it was
// queued is stale and skipped (symbols only grow, so a changed length shows it).
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string_view>
#include <vector>

#include "engine/tokenizer/utf8.h"

namespace assistd {

// rank_of(left, right) -> std::optional<double>: the pair's rank, or nullopt if it never merges.
template <typename RankOf>
std::vector<std::string_view> merge_symbols(std::string_view text, const RankOf& rank_of) {
    struct Symbol {
        size_t begin;
        size_t length;
        int prev;
        int next;
    };
    struct Pair {
        double rank;
        int left;
        int right;
        size_t length;
    };
    const auto later = [](const Pair& a, const Pair& b) {
        return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
    };
    std::vector<Symbol> symbols;
    for (size_t pos = 0; pos < text.size();) {
        const size_t n =
            std::max<size_t>(1, utf8::sequence_length(static_cast<uint8_t>(text[pos])));
        const size_t length = std::min(n, text.size() - pos);
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({pos, length, index - 1, -1});
        if (index > 0) symbols[index - 1].next = index;
        pos += length;
    }
    std::priority_queue<Pair, std::vector<Pair>, decltype(later)> queue(later);
    const auto view = [&](const Symbol& s) { return text.substr(s.begin, s.length); };
    const auto try_pair = [&](int left, int right) {
        if (left < 0 || right < 0) return;
        const std::optional<double> rank = rank_of(view(symbols[left]), view(symbols[right]));
        if (rank) queue.push({*rank, left, right, symbols[left].length + symbols[right].length});
    };
    for (int i = 1; i < static_cast<int>(symbols.size()); ++i) try_pair(i - 1, i);
    while (!queue.empty()) {
        const Pair pair = queue.top();
        queue.pop();
        Symbol& left = symbols[pair.left];
        Symbol& right = symbols[pair.right];
        if (left.length == 0 || right.length == 0 || left.length + right.length != pair.length) {
            continue;
        }
        left.length += right.length;
        right.length = 0;
        left.next = right.next;
        if (right.next >= 0) symbols[right.next].prev = pair.left;
        try_pair(left.prev, pair.left);
        try_pair(pair.left, left.next);
    }
    std::vector<std::string_view> pieces;
    for (const Symbol& s : symbols) {
        if (s.length > 0) pieces.push_back(view(s));
    }
    return pieces;
}

}  // namespace assistd
