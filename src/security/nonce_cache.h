// NonceCache: the nonces of signed requests seen within the clock-skew window, so a captured
// request cannot be replayed. Bounded: when full, the oldest entry is dropped and its timestamp
// becomes a floor — any request no newer than a forgotten nonce is refused, since the cache can
// no longer tell whether it is a replay. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

namespace assistd::security {

class NonceCache {
  public:
    NonceCache(size_t capacity, int64_t window_seconds)
        : capacity_(capacity), window_(window_seconds) {}

    // Records `nonce` of `credential` signed at `timestamp`; false when it was seen before (or
    // cannot be ruled out, see above).
    bool first_use(const std::string& credential, const std::string& nonce, int64_t timestamp,
                   int64_t now);

  private:
    size_t capacity_;
    int64_t window_;
    std::mutex mutex_;
    std::multimap<int64_t, std::string> by_time_;  // timestamp → key, oldest first
    std::unordered_set<std::string> keys_;         // credential + "\n" + nonce
    int64_t floor_ = INT64_MIN;                    // newest timestamp forgotten while in window
};

}  // namespace assistd::security
