#include "cache/memory_cache.h"

namespace assistd::cache {
namespace {

// Roughly what the list node, the index node and the strings' headers cost beside the bytes.
constexpr uint64_t kEntryOverhead = 160;

}  // namespace

MemoryCache::MemoryCache(Options options, std::function<Clock::time_point()> now)
    : options_(options), now_(std::move(now)) {}

MemoryCache::Position MemoryCache::find(const CacheKey& key) {
    auto [first, last] = by_digest_.equal_range(key.digest);
    for (auto it = first; it != last; ++it) {
        if (it->second->key.text == key.text) return it->second;
    }
    return recency_.end();
}

void MemoryCache::erase(Position entry) {
    auto [first, last] = by_digest_.equal_range(entry->key.digest);
    for (auto it = first; it != last; ++it) {
        if (it->second == entry) {
            by_digest_.erase(it);
            break;
        }
    }
    bytes_ -= entry->bytes;
    recency_.erase(entry);
}

void MemoryCache::lookup(const CacheKey& key, std::function<void(CacheLookup)> done) {
    CacheLookup result;
    {
        std::lock_guard lock(mutex_);
        Position entry = find(key);
        if (entry != recency_.end() && entry->expires <= now_()) {
            erase(entry);
            entry = recency_.end();
        }
        if (entry != recency_.end()) {
            recency_.splice(recency_.begin(), recency_, entry);
            result = {CacheOutcome::Hit, entry->value};
        }
    }
    done(std::move(result));
}

void MemoryCache::store(const CacheKey& key, std::string value) {
    const uint64_t size = key.text.size() + key.digest.size() + value.size() + kEntryOverhead;
    std::lock_guard lock(mutex_);
    if (Position old = find(key); old != recency_.end()) erase(old);
    if (size > options_.max_bytes) return;  // would evict everything and still not fit
    while (bytes_ + size > options_.max_bytes) erase(std::prev(recency_.end()));
    recency_.push_front({key, std::move(value), now_() + options_.ttl, size});
    by_digest_.emplace(key.digest, recency_.begin());
    bytes_ += size;
}

uint64_t MemoryCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

size_t MemoryCache::entries() const {
    std::lock_guard lock(mutex_);
    return recency_.size();
}

}  // namespace assistd::cache
