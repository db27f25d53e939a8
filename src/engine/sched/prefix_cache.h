// PrefixCache: KV blocks of token prefixes already computed, kept for the next request that
// starts the same way (a system prompt, the earlier turns of a conversation).
//
// An entry is one full block: the kKvBlockTokens tokens it holds and the entry of the block
// before it, so a match is exact over the whole prefix, never a hash that could collide. The cache
// holds one reference on each block it keeps; blocks no sequence uses any more are evicted least
// recently used first when the pool needs room.
//
//   PrefixMatch hit = cache.match(prompt);       // adopt hit.blocks, skip hit.tokens() positions
//   ...after computing block k of a sequence:
//   entry = cache.insert(parent_entry, tokens_of_block_k, block_k);
//   while (pool.available() < needed && cache.evict_one()) {}
#pragma once

#include <cstdint>
#include <list>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/model/kv_cache.h"

namespace assistd {

struct PrefixMatch {
    std::vector<int32_t> blocks;    // to adopt, in order
    std::vector<uint64_t> entries;  // their entries, for inserting the blocks after them

    int64_t tokens() const { return static_cast<int64_t>(blocks.size()) * kKvBlockTokens; }
};

class PrefixCache {
  public:
    static constexpr uint64_t kRoot = 0;  // the parent of every first block

    explicit PrefixCache(KvBlockPool& pool) : pool_(pool) {}
    ~PrefixCache();
    PrefixCache(const PrefixCache&) = delete;
    PrefixCache& operator=(const PrefixCache&) = delete;

    // The longest run of cached full blocks that `tokens` starts with, leaving at least one token
    // uncovered (its logits must still be computed).
    PrefixMatch match(std::span<const int32_t> tokens);

    // Keeps `block`, which holds `tokens` (one block's worth) after the prefix `parent`, and
    // returns its entry; when an equal entry exists already, returns that one and keeps nothing.
    uint64_t insert(uint64_t parent, std::span<const int32_t> tokens, int32_t block);

    // Frees the least recently used block that only the cache holds; false when there is none.
    bool evict_one();

    int64_t blocks() const { return static_cast<int64_t>(entries_.size()); }

  private:
    struct Key {
        uint64_t parent;
        std::vector<int32_t> tokens;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& key) const;
    };
    struct Entry {
        uint64_t id;
        int32_t block;
        std::list<Key>::iterator lru;  // position in lru_, most recent at the back
    };

    void touch(Entry& entry);

    KvBlockPool& pool_;
    std::unordered_map<Key, Entry, KeyHash> entries_;
    std::list<Key> lru_;
    uint64_t next_id_ = kRoot + 1;
};

}  // namespace assistd
