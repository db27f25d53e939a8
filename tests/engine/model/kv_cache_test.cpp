// KV blocks: a shared budget, refcounted sharing, and the position → block mapping.
#include "engine/model/kv_cache.h"

#include <gtest/gtest.h>

namespace assistd {
namespace {

Hyperparams small() {
    Hyperparams hp;
    hp.n_layer = 2;
    hp.n_head = 2;
    hp.n_head_kv = 1;
    hp.n_embd_head = 4;
    return hp;
}

TEST(KvCache, ReservesWholeBlocksWithinTheBudget) {
    auto pool = std::make_shared<KvBlockPool>(small(), 3);
    EXPECT_EQ(KvBlockPool::block_bytes(small()), 2 * 2 * kKvBlockTokens * 4 * 4);
    KvCache a(pool, 64), b(pool, 64);
    ASSERT_TRUE(a.reserve(1));
    EXPECT_EQ(a.reserved(), kKvBlockTokens);
    ASSERT_TRUE(a.reserve(kKvBlockTokens + 1));  // a second block
    EXPECT_EQ(pool->used(), 2);
    EXPECT_FALSE(b.reserve(2 * kKvBlockTokens));  // needs two, one is left: takes none
    EXPECT_EQ(pool->used(), 2);
    EXPECT_TRUE(b.reserve(kKvBlockTokens));
    EXPECT_EQ(pool->available(), 0);
    a.clear();
    EXPECT_EQ(pool->used(), 1);
    EXPECT_TRUE(b.reserve(3 * kKvBlockTokens));
}

TEST(KvCache, RowsOfDifferentLayersAndPositionsDoNotOverlap) {
    auto pool = std::make_shared<KvBlockPool>(small(), 4);
    KvCache kv(pool, 64);
    ASSERT_TRUE(kv.reserve(40));
    for (int64_t layer = 0; layer < 2; ++layer) {
        for (int64_t pos = 0; pos < 40; ++pos) {
            for (int d = 0; d < 4; ++d) {
                kv.key(layer, pos)[d] = static_cast<float>(layer * 1000 + pos * 10 + d);
                kv.value(layer, pos)[d] = -static_cast<float>(layer * 1000 + pos * 10 + d);
            }
        }
    }
    for (int64_t layer = 0; layer < 2; ++layer) {
        for (int64_t pos = 0; pos < 40; ++pos) {
            EXPECT_EQ(kv.key(layer, pos)[3], static_cast<float>(layer * 1000 + pos * 10 + 3));
            EXPECT_EQ(kv.value(layer, pos)[0], -static_cast<float>(layer * 1000 + pos * 10));
        }
    }
}

TEST(KvCache, AdoptedBlocksAreSharedUntilTheLastHolderLetsGo) {
    auto pool = std::make_shared<KvBlockPool>(small(), 4);
    KvCache first(pool, 64);
    ASSERT_TRUE(first.reserve(2 * kKvBlockTokens));
    first.key(1, 20)[0] = 42.0f;
    {
        KvCache second(pool, 64);
        second.adopt(first.blocks());
        EXPECT_EQ(second.key(1, 20)[0], 42.0f);
        EXPECT_EQ(pool->holders(first.blocks()[0]), 2);
        EXPECT_EQ(pool->used(), 2);
    }
    EXPECT_EQ(pool->holders(first.blocks()[0]), 1);
    KvCache moved = std::move(first);
    EXPECT_EQ(pool->used(), 2);
    moved.clear();
    EXPECT_EQ(pool->used(), 0);
}

}  // namespace
}  // namespace assistd
