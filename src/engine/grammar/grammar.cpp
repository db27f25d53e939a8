#include "engine/grammar/grammar.h"

#include <cassert>

namespace assistd {

int32_t GrammarBuilder::new_rule() {
    rules_.emplace_back();
    return static_cast<int32_t>(rules_.size()) - 1;
}

void GrammarBuilder::alternative(int32_t rule, Sequence symbols) {
    n_symbols_ += symbols.size() + 1;
    rules_[rule].push_back(std::move(symbols));
}

int32_t GrammarBuilder::rule_of(std::vector<Sequence> alternatives) {
    const int32_t id = new_rule();
    for (Sequence& symbols : alternatives) alternative(id, std::move(symbols));
    return id;
}

GrammarBuilder::Symbol GrammarBuilder::bytes(const ByteSet& set) {
    byte_sets_.push_back(set);
    return {Symbol::Kind::Bytes, static_cast<int32_t>(byte_sets_.size()) - 1};
}

GrammarBuilder::Symbol GrammarBuilder::range(uint8_t first, uint8_t last) {
    ByteSet set;
    for (int byte = first; byte <= last; ++byte) set.set(static_cast<size_t>(byte));
    return bytes(set);
}

GrammarBuilder::Sequence GrammarBuilder::literal(std::string_view text) {
    Sequence symbols;
    for (char c : text) symbols.push_back(range(static_cast<uint8_t>(c), static_cast<uint8_t>(c)));
    return symbols;
}

Grammar GrammarBuilder::build(int32_t root) && {
    assert(root >= 0 && root < static_cast<int32_t>(rules_.size()));
    Grammar grammar;
    grammar.root_ = root;
    grammar.byte_sets_ = std::move(byte_sets_);
    grammar.rules_.resize(rules_.size());
    grammar.elements_.reserve(n_symbols_);
    for (size_t rule = 0; rule < rules_.size(); ++rule) {
        for (const Sequence& symbols : rules_[rule]) {
            grammar.rules_[rule].push_back(static_cast<int32_t>(grammar.elements_.size()));
            grammar.elements_.insert(grammar.elements_.end(), symbols.begin(), symbols.end());
            grammar.elements_.push_back({Symbol::Kind::End, 0});
        }
    }
    grammar.start_ = static_cast<int32_t>(grammar.elements_.size());
    grammar.elements_.push_back({Symbol::Kind::Rule, root});
    grammar.elements_.push_back({Symbol::Kind::End, 0});
    grammar.compute_first_sets();
    return grammar;
}

// A fixed point: each pass recomputes every position from the one after it and from the rules'
// alternatives, until nothing grows (values only ever gain bytes or nullability, so it ends).
// Rules go in the order they were made, which is mostly the order they depend on each other
// (bounded repetitions chain each rule to the one made before), and each alternative backwards.
void Grammar::compute_first_sets() {
    first_.assign(elements_.size(), ByteSet());
    nullable_.assign(elements_.size(), 1);  // End positions stay nullable with no first bytes
    for (size_t p = 0; p < elements_.size(); ++p) {
        if (elements_[p].kind != Element::Kind::End) nullable_[p] = 0;
    }
    std::vector<int32_t> starts;  // every alternative, rules in order, the start one last
    for (const std::vector<int32_t>& alternatives : rules_) {
        starts.insert(starts.end(), alternatives.begin(), alternatives.end());
    }
    starts.push_back(start_);
    bool changed = true;
    while (changed) {
        changed = false;
        for (int32_t start : starts) {
            int32_t end = start;
            while (elements_[end].kind != Element::Kind::End) ++end;
            for (int32_t p = end - 1; p >= start; --p) changed |= update_first(p);
        }
    }
}

bool Grammar::update_first(int32_t p) {
    const Element& e = elements_[p];
    ByteSet first;
    bool nullable = false;
    if (e.kind == Element::Kind::Bytes) {
        first = byte_sets_[e.index];
    } else {
        bool rule_nullable = false;
        for (int32_t start : rules_[e.index]) {
            first |= first_[start];
            rule_nullable = rule_nullable || nullable_[start];
        }
        if (rule_nullable) first |= first_[p + 1];
        nullable = rule_nullable && nullable_[p + 1];
    }
    if (first == first_[p] && nullable == (nullable_[p] != 0)) return false;
    first_[p] = first;
    nullable_[p] = nullable;
    return true;
}

GrammarBuilder::Sequence& operator+=(GrammarBuilder::Sequence& head,
                                     const GrammarBuilder::Sequence& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

}  // namespace assistd
