// Grammar: a context-free grammar over bytes, the form constrained decoding walks.
//
// Each rule is a list of alternatives; an alternative is a sequence of symbols, each either a set
// of bytes (one byte from the set) or another rule. Rules are stored flattened, llama.cpp's GBNF
// way: one element array where every alternative ends with an End element, so that "the position
// after this symbol" is simply the next index — what GrammarMatcher keeps on its stacks.
//
//   GrammarBuilder b;
//   int32_t digits = b.new_rule();
//   b.alternative(digits, {b.range('0', '9'), GrammarBuilder::rule(digits)});  // right recursion
//   b.alternative(digits, {b.range('0', '9')});
//   Grammar grammar = std::move(b).build(digits);
//
// Left recursion is not allowed (the matcher would expand it forever); the compilers here only
// produce right recursion.
#pragma once

#include <bitset>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace assistd {

using ByteSet = std::bitset<256>;

class Grammar {
  public:
    struct Element {
        enum class Kind : uint8_t { Bytes, Rule, End };
        Kind kind;
        int32_t index;  // Bytes: into the byte sets; Rule: the rule; End: unused
    };

    int32_t root() const { return root_; }
    // A position holding just the root rule: where matching starts.
    int32_t start() const { return start_; }
    const Element& element(int32_t position) const { return elements_[position]; }
    // Where each alternative of `rule` starts in the elements.
    std::span<const int32_t> alternatives(int32_t rule) const { return rules_[rule]; }
    size_t size() const { return elements_.size(); }
    // The bytes that can begin a non-empty match of the rest of an alternative from `position`
    // (FIRST set), and whether that rest can match the empty string: what lets the matcher
    // expand only the alternatives a byte can enter.
    const ByteSet& first(int32_t position) const { return first_[position]; }
    bool nullable(int32_t position) const { return nullable_[position] != 0; }

  private:
    friend class GrammarBuilder;
    void compute_first_sets();
    bool update_first(int32_t position);  // true if it changed

    std::vector<Element> elements_;
    std::vector<std::vector<int32_t>> rules_;
    std::vector<ByteSet> byte_sets_;
    std::vector<ByteSet> first_;     // (elements)
    std::vector<uint8_t> nullable_;  // (elements)
    int32_t root_ = 0;
    int32_t start_ = 0;
};

class GrammarBuilder {
  public:
    using Symbol = Grammar::Element;
    using Sequence = std::vector<Symbol>;

    int32_t new_rule();
    // Adds an alternative to `rule`; an empty sequence matches the empty string.
    void alternative(int32_t rule, Sequence symbols);
    // A rule with the given alternatives, in one call.
    int32_t rule_of(std::vector<Sequence> alternatives);

    static Symbol rule(int32_t id) { return {Symbol::Kind::Rule, id}; }
    Symbol bytes(const ByteSet& set);
    Symbol range(uint8_t first, uint8_t last);
    Sequence literal(std::string_view text);

    // Elements written so far: how big the grammar is getting.
    size_t size() const { return n_symbols_; }

    Grammar build(int32_t root) &&;

  private:
    std::vector<std::vector<Sequence>> rules_;
    std::vector<ByteSet> byte_sets_;
    size_t n_symbols_ = 0;
};

// Appends `tail` to `head`: sequences are built piece by piece.
GrammarBuilder::Sequence& operator+=(GrammarBuilder::Sequence& head,
                                     const GrammarBuilder::Sequence& tail);

}  // namespace assistd
