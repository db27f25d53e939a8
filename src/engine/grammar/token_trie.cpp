#include "engine/grammar/token_trie.h"

#include <algorithm>
#include <string>

namespace assistd {

namespace {

struct Piece {
    std::string bytes;
    int32_t token;
};

// The length of the prefix two byte strings share.
size_t common_prefix(const std::string& a, const std::string& b) {
    const auto [end_a, end_b] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    return static_cast<size_t>(end_a - a.begin());
}

}  // namespace

// Sorted pieces grow the trie along one path: each piece keeps the nodes it shares with the piece
// before and adds new ones only below them, so no lookup of existing children is needed.
TokenTrie::TokenTrie(const Tokenizer& tokenizer) : n_vocab_(tokenizer.n_vocab()) {
    std::vector<Piece> pieces;
    for (int32_t token = 0; token < n_vocab_; ++token) {
        if (tokenizer.is_end_of_generation(token)) {
            end_of_generation_.push_back(token);
            continue;
        }
        std::string bytes = tokenizer.token_to_piece(token);
        if (!bytes.empty()) pieces.push_back({std::move(bytes), token});
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
        return a.bytes != b.bytes ? a.bytes < b.bytes : a.token < b.token;
    });

    // Children and tokens gathered per node first, then laid out contiguously.
    std::vector<std::vector<Edge>> children(1);
    std::vector<std::vector<int32_t>> ends(1);
    std::vector<int32_t> path{kRoot};  // path[d]: the node after d bytes of the previous piece
    const std::string* previous = nullptr;
    for (const Piece& piece : pieces) {
        const size_t shared = previous ? common_prefix(*previous, piece.bytes) : 0;
        path.resize(shared + 1);
        for (size_t depth = shared; depth < piece.bytes.size(); ++depth) {
            const auto node = static_cast<int32_t>(children.size());
            children.emplace_back();
            ends.emplace_back();
            children[path.back()].push_back({static_cast<uint8_t>(piece.bytes[depth]), node});
            path.push_back(node);
        }
        ends[path.back()].push_back(piece.token);
        previous = &piece.bytes;
    }
    nodes_.resize(children.size());
    for (size_t node = 0; node < children.size(); ++node) {
        nodes_[node] = {
            static_cast<int32_t>(edges_.size()), static_cast<int32_t>(children[node].size()),
            static_cast<int32_t>(tokens_.size()), static_cast<int32_t>(ends[node].size())};
        edges_.insert(edges_.end(), children[node].begin(), children[node].end());
        tokens_.insert(tokens_.end(), ends[node].begin(), ends[node].end());
    }
}

std::span<const TokenTrie::Edge> TokenTrie::edges(int32_t node) const {
    const Node& n = nodes_[node];
    return {edges_.data() + n.first_edge, static_cast<size_t>(n.n_edges)};
}

std::span<const int32_t> TokenTrie::tokens(int32_t node) const {
    const Node& n = nodes_[node];
    return {tokens_.data() + n.first_token, static_cast<size_t>(n.n_tokens)};
}

}  // namespace assistd
