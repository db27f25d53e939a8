#include "engine/model/kv_cache.h"

#include <cassert>
#include <utility>

namespace assistd {

KvBlockPool::KvBlockPool(const Hyperparams& hp, int64_t capacity_blocks)
    : n_layer_(hp.n_layer),
      n_embd_kv_(hp.n_embd_kv()),
      half_(hp.n_layer * kKvBlockTokens * hp.n_embd_kv()),
      capacity_(capacity_blocks) {}

int64_t KvBlockPool::block_bytes(const Hyperparams& hp) {
    return 2 * hp.n_layer * kKvBlockTokens * hp.n_embd_kv() * static_cast<int64_t>(sizeof(float));
}

std::optional<int32_t> KvBlockPool::allocate() {
    if (used_ >= capacity_) return std::nullopt;
    int32_t block;
    if (!free_.empty()) {
        block = free_.back();
        free_.pop_back();
    } else {
        block = static_cast<int32_t>(storage_.size());
        storage_.push_back(std::make_unique_for_overwrite<float[]>(static_cast<size_t>(2 * half_)));
        holders_.push_back(0);
    }
    holders_[block] = 1;
    ++used_;
    return block;
}

void KvBlockPool::retain(int32_t block) {
    assert(holders_[block] > 0);
    ++holders_[block];
}

void KvBlockPool::release(int32_t block) {
    assert(holders_[block] > 0);
    if (--holders_[block] > 0) return;
    free_.push_back(block);
    --used_;
}

KvCache::KvCache(std::shared_ptr<KvBlockPool> pool, int64_t n_ctx)
    : pool_(std::move(pool)), n_ctx_(n_ctx) {}

KvCache::KvCache(KvCache&& other) noexcept
    : pool_(std::move(other.pool_)), n_ctx_(other.n_ctx_), blocks_(std::move(other.blocks_)) {
    other.blocks_.clear();
}

KvCache& KvCache::operator=(KvCache&& other) noexcept {
    if (this != &other) {
        clear();
        pool_ = std::move(other.pool_);
        n_ctx_ = other.n_ctx_;
        blocks_ = std::move(other.blocks_);
        other.blocks_.clear();
    }
    return *this;
}

int64_t KvCache::blocks_needed(int64_t n) const {
    const int64_t have = static_cast<int64_t>(blocks_.size());
    const int64_t want = KvBlockPool::blocks_for(n);
    return want > have ? want - have : 0;
}

bool KvCache::reserve(int64_t n) {
    assert(n <= n_ctx_);
    const int64_t needed = blocks_needed(n);
    if (needed > pool_->available()) return false;
    for (int64_t i = 0; i < needed; ++i) blocks_.push_back(*pool_->allocate());
    return true;
}

void KvCache::adopt(const std::vector<int32_t>& blocks) {
    assert(blocks_.empty());
    for (int32_t block : blocks) pool_->retain(block);
    blocks_ = blocks;
}

void KvCache::clear() {
    if (pool_) {
        for (int32_t block : blocks_) pool_->release(block);
    }
    blocks_.clear();
}

}  // namespace assistd
