#include "engine/grammar/grammar_matcher.h"

#include <algorithm>
#include <map>
#include <utility>

namespace assistd {

using Kind = Grammar::Element::Kind;

GrammarMatcher::GrammarMatcher(std::shared_ptr<const Grammar> grammar)
    : grammar_(std::move(grammar)) {
    stacks_.push_back(push(grammar_->start(), kEmpty));
}

int32_t GrammarMatcher::push(int32_t position, int32_t below) {
    nodes_.push_back({position, below});
    return static_cast<int32_t>(nodes_.size()) - 1;
}

int32_t GrammarMatcher::continue_at(int32_t position, int32_t below) {
    return grammar_->element(position).kind == Kind::End ? below : push(position, below);
}

void GrammarMatcher::advance(int32_t stack, uint8_t byte, std::vector<int32_t>& out) {
    if (stack == kEmpty || out.size() >= out_limit_) return;
    const Node node = nodes_[stack];  // a copy: push() may move the arena
    if (grammar_->first(node.position).test(byte)) enter(node.position, node.below, byte, out);
    // The rest of this alternative may match nothing: the byte may belong below it.
    if (grammar_->nullable(node.position)) advance(node.below, byte, out);
}

// `byte` is in first(position): consume it inside the alternative, entering only the rule
// alternatives it can start (a lazy expansion: stacks never hold alternatives a byte ruled out).
void GrammarMatcher::enter(int32_t position, int32_t below, uint8_t byte,
                           std::vector<int32_t>& out) {
    if (out.size() >= out_limit_) return;
    const Grammar::Element& element = grammar_->element(position);
    if (element.kind == Kind::Bytes) {
        out.push_back(continue_at(position + 1, below));
        return;
    }
    const int32_t rest = continue_at(position + 1, below);
    bool rule_nullable = false;
    for (int32_t start : grammar_->alternatives(element.index)) {
        if (grammar_->first(start).test(byte)) enter(start, rest, byte, out);
        rule_nullable = rule_nullable || grammar_->nullable(start);
    }
    // The rule matches nothing and the byte starts what follows it in this alternative.
    if (rule_nullable && grammar_->first(position + 1).test(byte)) {
        enter(position + 1, below, byte, out);
    }
}

std::vector<int32_t> GrammarMatcher::stacks_after(std::string_view bytes) {
    std::vector<int32_t> current = stacks_;
    std::vector<int32_t> next;
    for (char c : bytes) {
        next.clear();
        out_limit_ = kMaxGrammarStacks;
        for (int32_t stack : current) advance(stack, static_cast<uint8_t>(c), next);
        merge_equal(next, 0);
        std::swap(current, next);
        if (current.empty()) break;
    }
    return current;
}

bool GrammarMatcher::accept(std::string_view bytes) {
    const size_t nodes_before = nodes_.size();
    std::vector<int32_t> after = stacks_after(bytes);
    if (after.empty()) {
        nodes_.resize(nodes_before);
        return false;
    }
    stacks_ = std::move(after);
    compact();
    return true;
}

bool GrammarMatcher::can_accept(std::string_view bytes) {
    const size_t nodes_before = nodes_.size();
    const bool fits = !stacks_after(bytes).empty();
    nodes_.resize(nodes_before);
    return fits;
}

bool GrammarMatcher::complete() const {
    return std::any_of(stacks_.begin(), stacks_.end(), [&](int32_t stack) {
        for (; stack != kEmpty; stack = nodes_[stack].below) {
            if (!grammar_->nullable(nodes_[stack].position)) return false;
        }
        return true;
    });
}

void GrammarMatcher::allowed_tokens(const TokenTrie& trie, std::vector<uint8_t>& allowed) {
    allowed.assign(static_cast<size_t>(trie.n_vocab()), 0);
    if (complete()) {
        for (int32_t token : trie.end_of_generation()) allowed[token] = 1;
    }
    scratch_.assign(stacks_.begin(), stacks_.end());
    walk(trie, TokenTrie::kRoot, 0, scratch_.size(), allowed);
    scratch_.clear();
}

// Depth first through the trie: the stacks after a node's bytes are scratch_[begin, end);
// a child's are appended after them and dropped, with the nodes they made, once it is done.
void GrammarMatcher::walk(const TokenTrie& trie, int32_t trie_node, size_t begin, size_t end,
                          std::vector<uint8_t>& allowed) {
    for (const TokenTrie::Edge& edge : trie.edges(trie_node)) {
        const size_t nodes_before = nodes_.size();
        const size_t child_begin = scratch_.size();
        out_limit_ = child_begin + kMaxGrammarStacks;
        for (size_t i = begin; i < end; ++i) advance(scratch_[i], edge.byte, scratch_);
        merge_equal(scratch_, child_begin);
        const size_t child_end = scratch_.size();
        if (child_end > child_begin) {
            for (int32_t token : trie.tokens(edge.node)) allowed[token] = 1;
            walk(trie, edge.node, child_begin, child_end, allowed);
        }
        scratch_.resize(child_begin);
        nodes_.resize(nodes_before);
    }
}

void GrammarMatcher::merge_equal(std::vector<int32_t>& stacks, size_t begin) const {
    if (stacks.size() - begin < 2) return;
    auto key = [&](int32_t stack) {
        return stack == kEmpty ? std::pair(kEmpty, kEmpty)
                               : std::pair(nodes_[stack].position, nodes_[stack].below);
    };
    auto first = stacks.begin() + static_cast<std::ptrdiff_t>(begin);
    std::sort(first, stacks.end(), [&](int32_t a, int32_t b) { return key(a) < key(b); });
    stacks.erase(
        std::unique(first, stacks.end(), [&](int32_t a, int32_t b) { return key(a) == key(b); }),
        stacks.end());
}

// Without compaction the arena would keep every node a sequence ever made.
void GrammarMatcher::compact() {
    std::vector<Node> fresh;
    std::map<std::pair<int32_t, int32_t>, int32_t> made;  // (position, below) in fresh → node
    std::map<int32_t, int32_t> moved;                     // old node → fresh node
    auto copy = [&](auto&& self, int32_t stack) -> int32_t {
        if (stack == kEmpty) return kEmpty;
        if (auto found = moved.find(stack); found != moved.end()) return found->second;
        const Node node = nodes_[stack];
        const int32_t below = self(self, node.below);
        auto [slot, inserted] =
            made.try_emplace({node.position, below}, static_cast<int32_t>(fresh.size()));
        if (inserted) fresh.push_back({node.position, below});
        moved[stack] = slot->second;
        return slot->second;
    };
    for (int32_t& stack : stacks_) stack = copy(copy, stack);
    std::sort(stacks_.begin(), stacks_.end());
    stacks_.erase(std::unique(stacks_.begin(), stacks_.end()), stacks_.end());
    nodes_ = std::move(fresh);
}

}  // namespace assistd
