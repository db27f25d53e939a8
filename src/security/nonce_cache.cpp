#include "security/nonce_cache.h"

namespace assistd::security {

bool NonceCache::first_use(const std::string& credential, const std::string& nonce,
                           int64_t timestamp, int64_t now) {
    std::lock_guard lock(mutex_);
    // Entries signed before the window are refused by the timestamp check anyway.
    while (!by_time_.empty() && by_time_.begin()->first < now - window_) {
        keys_.erase(by_time_.begin()->second);
        by_time_.erase(by_time_.begin());
    }
    if (timestamp <= floor_) return false;
    std::string key = credential + "\n" + nonce;
    if (!keys_.insert(key).second) return false;
    by_time_.emplace(timestamp, std::move(key));
    if (by_time_.size() > capacity_) {
        floor_ = std::max(floor_, by_time_.begin()->first);
        keys_.erase(by_time_.begin()->second);
        by_time_.erase(by_time_.begin());
    }
    return true;
}

}  // namespace assistd::security
