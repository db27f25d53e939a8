// TokenHistory: the recent tokens the penalties look at, with how often each occurs.
//
// Kept incrementally so that a sample costs O(distinct recent tokens), not O(vocabulary) or
// O(context): counts are updated as tokens enter and leave the window.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace assistd {

class TokenHistory {
  public:
    // window: how many recent tokens count (-1: all of them, 0: none).
    TokenHistory(int32_t n_vocab, int32_t window);

    void accept(int32_t token);
    void clear();

    int32_t count(int32_t token) const { return counts_[static_cast<size_t>(token)]; }
    // Every token whose count is > 0, in no particular order.
    std::span<const int32_t> distinct() const { return distinct_; }

  private:
    void add(int32_t token);
    void remove(int32_t token);

    int32_t window_;
    std::deque<int32_t> recent_;     // the window, oldest first; unused when window_ == -1
    std::vector<int32_t> counts_;    // (n_vocab) occurrences in the window
    std::vector<int32_t> distinct_;  // tokens with counts_ > 0
    std::vector<int32_t> slot_;      // (n_vocab) index in distinct_, or -1
};

}  // namespace assistd
