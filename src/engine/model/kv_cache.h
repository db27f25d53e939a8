// The keys and values of sequences, in fixed-size blocks from one pool.
//
// A block holds kKvBlockTokens positions of every layer: (n_layer, kKvBlockTokens, n_embd_kv)
// keys, then as many values. A sequence's KvCache maps its positions onto blocks through a
// table, so sequences take memory as they grow, not for the whole context up front, and many
// sequences share one budget (the scheduler's continuous batching). A block may be held by
// several caches at once (refcounted): a shared prompt prefix is computed once.
//
//   auto pool = std::make_shared<KvBlockPool>(hp, capacity_blocks);
//   KvCache kv(pool, n_ctx);
//   if (!kv.reserve(pos + n)) ... the pool is exhausted: preempt someone
//   float* k = kv.key(layer, pos);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/model/hyperparams.h"

namespace assistd {

inline constexpr int64_t kKvBlockTokens = 16;  // vLLM's default block size

class KvBlockPool {
  public:
    KvBlockPool(const Hyperparams& hp, int64_t capacity_blocks);
    KvBlockPool(const KvBlockPool&) = delete;
    KvBlockPool& operator=(const KvBlockPool&) = delete;

    // Bytes of one block of a model with these hyperparameters.
    static int64_t block_bytes(const Hyperparams& hp);
    // Blocks that hold n_ctx positions.
    static int64_t blocks_for(int64_t n_ctx) {
        return (n_ctx + kKvBlockTokens - 1) / kKvBlockTokens;
    }

    int64_t capacity() const { return capacity_; }
    int64_t used() const { return used_; }
    int64_t available() const { return capacity_ - used_; }

    // A block held once; nothing when all capacity is in use. Memory is taken from the system
    // the first time a block is used and kept for reuse.
    std::optional<int32_t> allocate();
    void retain(int32_t block);   // one more holder
    void release(int32_t block);  // one holder fewer; the last one frees it
    int32_t holders(int32_t block) const { return holders_[block]; }

    float* keys(int32_t block) { return storage_[block].get(); }
    float* values(int32_t block) { return storage_[block].get() + half_; }
    int64_t n_embd_kv() const { return n_embd_kv_; }

  private:
    int64_t n_layer_;
    int64_t n_embd_kv_;
    int64_t half_;  // floats of the keys (or the values) of one block
    int64_t capacity_;
    int64_t used_ = 0;
    std::vector<std::unique_ptr<float[]>> storage_;  // by block id; null until first used
    std::vector<int32_t> holders_;
    std::vector<int32_t> free_;  // ids released, reused before new ones
};

class KvCache {
  public:
    KvCache(std::shared_ptr<KvBlockPool> pool, int64_t n_ctx);
    ~KvCache() { clear(); }
    KvCache(KvCache&& other) noexcept;
    KvCache& operator=(KvCache&& other) noexcept;
    KvCache(const KvCache&) = delete;
    KvCache& operator=(const KvCache&) = delete;

    int64_t n_ctx() const { return n_ctx_; }

    // Makes positions 0..n-1 (n <= n_ctx) writable, taking blocks from the pool; false, taking
    // none, when the pool cannot supply them all.
    bool reserve(int64_t n);
    int64_t reserved() const { return static_cast<int64_t>(blocks_.size()) * kKvBlockTokens; }
    // Blocks the positions beyond this cache's own would need from the pool to reach n.
    int64_t blocks_needed(int64_t n) const;
    // Starts this cache with `blocks` (full blocks of an identical prefix held elsewhere), each
    // retained. Precondition: the cache holds no block.
    void adopt(const std::vector<int32_t>& blocks);
    const std::vector<int32_t>& blocks() const { return blocks_; }
    // Releases every block.
    void clear();

    // Key and value rows of `layer` at `pos` (a reserved position): n_embd_kv floats each.
    float* key(int64_t layer, int64_t pos) {
        return pool_->keys(block_of(pos)) + offset(layer, pos);
    }
    float* value(int64_t layer, int64_t pos) {
        return pool_->values(block_of(pos)) + offset(layer, pos);
    }

  private:
    int32_t block_of(int64_t pos) const { return blocks_[pos / kKvBlockTokens]; }
    int64_t offset(int64_t layer, int64_t pos) const {
        return (layer * kKvBlockTokens + pos % kKvBlockTokens) * pool_->n_embd_kv();
    }

    std::shared_ptr<KvBlockPool> pool_;
    int64_t n_ctx_;
    std::vector<int32_t> blocks_;
};

}  // namespace assistd
