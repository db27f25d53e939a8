#include "engine/sched/prefix_cache.h"

namespace assistd {

size_t PrefixCache::KeyHash::operator()(const Key& key) const {
    // FNV-1a over the parent and the tokens: only a bucket index, equality decides a match.
    uint64_t hash = 1469598103934665603ull ^ key.parent;
    for (int32_t token : key.tokens) {
        hash ^= static_cast<uint32_t>(token);
        hash *= 1099511628211ull;
    }
    return static_cast<size_t>(hash);
}

PrefixCache::~PrefixCache() {
    for (auto& [key, entry] : entries_) pool_.release(entry.block);
}

PrefixMatch PrefixCache::match(std::span<const int32_t> tokens) {
    PrefixMatch found;
    const auto size = static_cast<int64_t>(tokens.size());
    uint64_t parent = kRoot;
    Key key;
    for (int64_t begin = 0; begin + kKvBlockTokens < size; begin += kKvBlockTokens) {
        key.parent = parent;
        key.tokens.assign(tokens.begin() + begin, tokens.begin() + begin + kKvBlockTokens);
        auto it = entries_.find(key);
        if (it == entries_.end()) break;
        touch(it->second);
        found.blocks.push_back(it->second.block);
        found.entries.push_back(it->second.id);
        parent = it->second.id;
    }
    return found;
}

uint64_t PrefixCache::insert(uint64_t parent, std::span<const int32_t> tokens, int32_t block) {
    Key key{parent, std::vector<int32_t>(tokens.begin(), tokens.end())};
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        touch(it->second);
        return it->second.id;
    }
    lru_.push_back(key);
    Entry entry{next_id_++, block, std::prev(lru_.end())};
    pool_.retain(block);
    entries_.emplace(std::move(key), entry);
    return entry.id;
}

bool PrefixCache::evict_one() {
    for (auto it = lru_.begin(); it != lru_.end(); ++it) {
        auto entry = entries_.find(*it);
        if (pool_.holders(entry->second.block) != 1) continue;  // a sequence still uses it
        pool_.release(entry->second.block);
        entries_.erase(entry);
        lru_.erase(it);
        return true;
    }
    return false;
}

void PrefixCache::touch(Entry& entry) {
    lru_.splice(lru_.end(), lru_, entry.lru);
}

}  // namespace assistd
