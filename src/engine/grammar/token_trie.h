// TokenTrie: every token's bytes in one trie, so that a grammar can be checked against the whole
// vocabulary in one walk: tokens sharing a prefix share the work of matching it.
//
// Built once per vocabulary (about 0.1 s for 150k tokens) and shared by every constrained
// request. Tokens that print nothing (control tokens, unused ids) are left out: they would let
// a constrained sequence stall without progress. End-of-generation tokens are listed apart,
// since the grammar allows them only once its sentence is complete.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/tokenizer/tokenizer.h"

namespace assistd {

class TokenTrie {
  public:
    struct Edge {
        uint8_t byte;
        int32_t node;
    };

    explicit TokenTrie(const Tokenizer& tokenizer);

    static constexpr int32_t kRoot = 0;
    std::span<const Edge> edges(int32_t node) const;
    // The tokens whose bytes end exactly at `node`.
    std::span<const int32_t> tokens(int32_t node) const;
    std::span<const int32_t> end_of_generation() const { return end_of_generation_; }
    int32_t n_vocab() const { return n_vocab_; }

  private:
    struct Node {
        int32_t first_edge, n_edges;
        int32_t first_token, n_tokens;
    };
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
    std::vector<int32_t> tokens_;
    std::vector<int32_t> end_of_generation_;
    int32_t n_vocab_;
};

}  // namespace assistd
