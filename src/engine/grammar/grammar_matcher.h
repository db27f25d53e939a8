// GrammarMatcher: how far a byte string has come through a Grammar, and which tokens may follow.
//
// The state is a set of stacks (a pushdown automaton run on every parse at once): each stack
// holds the grammar positions still to match, innermost on top. A byte enters only the rule
// alternatives whose FIRST set holds it, so an unambiguous grammar keeps one stack; the sentence
// may end where some stack's remaining positions can all match nothing.
//
//   GrammarMatcher matcher(grammar);
//   matcher.allowed_tokens(trie, allowed);   // allowed[t] != 0: token t may come next
//   matcher.accept(tokenizer.token_to_piece(t));
//
// Stacks are linked lists of nodes in one arena, so forking a stack at an ambiguity or a byte
// costs one node, and the nodes made while trying a token are dropped again after it.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/grammar/grammar.h"
#include "engine/grammar/token_trie.h"

namespace assistd {

// Ambiguous schemas (anyOf of overlapping options, nested) can fork stacks exponentially; past
// this many the rest are dropped. Every stack kept is still a valid prefix, so output stays
// valid: only some of the ways to continue it are lost.
inline constexpr size_t kMaxGrammarStacks = 64;

class GrammarMatcher {
  public:
    explicit GrammarMatcher(std::shared_ptr<const Grammar> grammar);

    // Advances over `bytes`; false (state unchanged) if they cannot continue any sentence.
    bool accept(std::string_view bytes);
    // Whether accept(bytes) would succeed; the state is unchanged either way.
    bool can_accept(std::string_view bytes);
    // The bytes so far form a whole sentence.
    bool complete() const;
    // Sets allowed[t] to 1 for every token whose bytes continue the bytes so far, and for the
    // end-of-generation tokens when they are complete; every other entry to 0.
    // allowed.size() becomes trie.n_vocab().
    void allowed_tokens(const TokenTrie& trie, std::vector<uint8_t>& allowed);

  private:
    static constexpr int32_t kEmpty = -1;  // the empty stack: the sentence is whole
    struct Node {
        int32_t position;  // a grammar element still to match
        int32_t below;     // the rest of the stack
    };

    int32_t push(int32_t position, int32_t below);
    // `below` with `position` pushed on it, unless position is the end of an alternative.
    int32_t continue_at(int32_t position, int32_t below);
    // Appends to `out` what `stack` becomes after `byte` (nothing if it cannot take it).
    void advance(int32_t stack, uint8_t byte, std::vector<int32_t>& out);
    void enter(int32_t position, int32_t below, uint8_t byte, std::vector<int32_t>& out);
    // The stacks after `bytes`; empty if they cannot continue any sentence.
    std::vector<int32_t> stacks_after(std::string_view bytes);
    void walk(const TokenTrie& trie, int32_t trie_node, size_t begin, size_t end,
              std::vector<uint8_t>& allowed);
    // Merges stacks[begin..] whose top nodes are equal (same position on the same rest): the
    // many parses an ambiguous grammar forks into often meet again.
    void merge_equal(std::vector<int32_t>& stacks, size_t begin) const;
    // Copies the live stacks into a fresh arena, equal stacks merged.
    void compact();

    std::shared_ptr<const Grammar> grammar_;
    std::vector<Node> nodes_;
    std::vector<int32_t> stacks_;   // the current state
    std::vector<int32_t> scratch_;  // stack sets of a trie walk, one range per depth
    size_t out_limit_ = 0;          // advance() appends no stacks past this size of its `out`
};

}  // namespace assistd
