#include "cache/memory_cache.h"

#include <gtest/gtest.h>

namespace assistd::cache {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct ManualClock {
    MemoryCache::Clock::time_point now{};
    std::function<MemoryCache::Clock::time_point()> function() {
        return [this] { return now; };
    }
};

CacheLookup looked_up(MemoryCache& cache, const CacheKey& key) {
    CacheLookup result{CacheOutcome::Unavailable};
    cache.lookup(key, [&result](CacheLookup found) { result = std::move(found); });
    return result;
}

std::optional<std::string> value_of(MemoryCache& cache, const CacheKey& key) {
    CacheLookup found = looked_up(cache, key);
    if (found.outcome != CacheOutcome::Hit) return std::nullopt;
    return found.value;
}

TEST(MemoryCache, AnswersWhatWasStoredAndMissesTheRest) {
    ManualClock clock;
    MemoryCache cache({.ttl = 60s, .max_bytes = 1 << 20}, clock.function());
    cache.store(CacheKey::of("a"), "answer a");
    EXPECT_EQ(value_of(cache, CacheKey::of("a")), "answer a");
    EXPECT_EQ(looked_up(cache, CacheKey::of("b")).outcome, CacheOutcome::Miss);
}

TEST(MemoryCache, StoringAgainReplacesTheEntry) {
    ManualClock clock;
    MemoryCache cache({.ttl = 60s, .max_bytes = 1 << 20}, clock.function());
    cache.store(CacheKey::of("a"), "old");
    const uint64_t one_entry = cache.bytes();
    cache.store(CacheKey::of("a"), "new");
    EXPECT_EQ(value_of(cache, CacheKey::of("a")), "new");
    EXPECT_EQ(cache.entries(), 1u);
    EXPECT_EQ(cache.bytes(), one_entry);
}

TEST(MemoryCache, EntriesExpireAfterTheirTimeToLive) {
    ManualClock clock;
    MemoryCache cache({.ttl = 60s, .max_bytes = 1 << 20}, clock.function());
    cache.store(CacheKey::of("a"), "answer");
    clock.now += 59s;
    EXPECT_EQ(value_of(cache, CacheKey::of("a")), "answer");
    clock.now += 1s;
    EXPECT_EQ(looked_up(cache, CacheKey::of("a")).outcome, CacheOutcome::Miss);
    EXPECT_EQ(cache.entries(), 0u);  // an expired entry is dropped when found
    EXPECT_EQ(cache.bytes(), 0u);
}

TEST(MemoryCache, TheLeastRecentlyUsedEntryLeavesWhenTheBudgetIsFull) {
    ManualClock clock;
    const std::string value(1000, 'x');
    MemoryCache probe({.ttl = 60s, .max_bytes = 1 << 20}, clock.function());
    probe.store(CacheKey::of("a"), value);
    const uint64_t entry = probe.bytes();  // every key below has the same size

    MemoryCache cache({.ttl = 60s, .max_bytes = 3 * entry}, clock.function());
    cache.store(CacheKey::of("a"), value);
    cache.store(CacheKey::of("b"), value);
    cache.store(CacheKey::of("c"), value);
    ASSERT_TRUE(value_of(cache, CacheKey::of("a")));  // a is now more recent than b
    cache.store(CacheKey::of("d"), value);
    EXPECT_EQ(looked_up(cache, CacheKey::of("b")).outcome, CacheOutcome::Miss);
    EXPECT_TRUE(value_of(cache, CacheKey::of("a")));
    EXPECT_TRUE(value_of(cache, CacheKey::of("c")));
    EXPECT_TRUE(value_of(cache, CacheKey::of("d")));
    EXPECT_EQ(cache.bytes(), 3 * entry);
}

TEST(MemoryCache, AnAnswerLargerThanTheWholeBudgetIsNotKept) {
    ManualClock clock;
    MemoryCache cache({.ttl = 60s, .max_bytes = 500}, clock.function());
    cache.store(CacheKey::of("small"), "ok");
    cache.store(CacheKey::of("large"), std::string(1000, 'x'));
    EXPECT_EQ(looked_up(cache, CacheKey::of("large")).outcome, CacheOutcome::Miss);
    EXPECT_EQ(value_of(cache, CacheKey::of("small")), "ok");  // nothing evicted for it
}

TEST(MemoryCache, KeysWhoseDigestsCollideNeverShareAnAnswer) {
    ManualClock clock;
    MemoryCache cache({.ttl = 60s, .max_bytes = 1 << 20}, clock.function());
    const CacheKey first{"request one", "same-digest"};
    const CacheKey second{"request two", "same-digest"};
    cache.store(first, "answer one");
    EXPECT_EQ(looked_up(cache, second).outcome, CacheOutcome::Miss);
    cache.store(second, "answer two");
    EXPECT_EQ(value_of(cache, first), "answer one");
    EXPECT_EQ(value_of(cache, second), "answer two");
    EXPECT_EQ(cache.entries(), 2u);
}

TEST(CacheKey, DigestIsTheSha256OfTheText) {
    EXPECT_EQ(CacheKey::of("abc").digest,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace assistd::cache
