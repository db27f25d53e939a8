#include "engine/sample/token_history.h"

#include <cassert>

namespace assistd {

TokenHistory::TokenHistory(int32_t n_vocab, int32_t window)
    : window_(window),
      counts_(static_cast<size_t>(n_vocab), 0),
      slot_(static_cast<size_t>(n_vocab), -1) {
    assert(n_vocab > 0 && window >= -1);
}

void TokenHistory::accept(int32_t token) {
    assert(token >= 0 && static_cast<size_t>(token) < counts_.size());
    if (window_ == 0) return;
    add(token);
    if (window_ < 0) return;
    recent_.push_back(token);
    if (recent_.size() > static_cast<size_t>(window_)) {
        remove(recent_.front());
        recent_.pop_front();
    }
}

void TokenHistory::clear() {
    for (int32_t token : distinct_) {
        counts_[static_cast<size_t>(token)] = 0;
        slot_[static_cast<size_t>(token)] = -1;
    }
    distinct_.clear();
    recent_.clear();
}

void TokenHistory::add(int32_t token) {
    auto index = static_cast<size_t>(token);
    if (counts_[index]++ == 0) {
        slot_[index] = static_cast<int32_t>(distinct_.size());
        distinct_.push_back(token);
    }
}

// Swap-removes the token from distinct_ when its last occurrence leaves the window.
void TokenHistory::remove(int32_t token) {
    auto index = static_cast<size_t>(token);
    if (--counts_[index] > 0) return;
    auto slot = static_cast<size_t>(slot_[index]);
    int32_t last = distinct_.back();
    distinct_[slot] = last;
    slot_[static_cast<size_t>(last)] = static_cast<int32_t>(slot);
    distinct_.pop_back();
    slot_[index] = -1;
}

}  // namespace assistd
