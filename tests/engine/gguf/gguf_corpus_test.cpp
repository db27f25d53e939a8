// Runs the fuzz harness's check (parse_and_check) over the fuzz seeds and many cheap, deterministic
// mutations of them, so that the harness logic runs in every CI build without libFuzzer.
#include <gtest/gtest.h>

#include <random>

#include "engine/gguf/gguf_invariants.h"
#include "engine/gguf/gguf_test_files.h"
#include "support/shared_data.h"

namespace assistd::gguf {
namespace {

using testing::Bytes;

constexpr uint64_t kInteresting[] = {0, 1, 0x7f, 0xff, 0x7fffffff, 0xffffffff, 1ull << 63, ~0ull};

// One random edit of the kinds that find parser bugs: byte flips, truncations, runs of 0xFF,
// and integers at the edges of their ranges written over a count, length or offset.
Bytes mutate(Bytes bytes, std::mt19937_64& rng) {
    if (bytes.empty()) return Bytes(1, 0xff);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    const size_t at = pick(bytes.size());
    switch (pick(4)) {
        case 0:
            bytes[at] ^= static_cast<uint8_t>(1 + pick(255));
            break;
        case 1:
            bytes.resize(at);
            break;
        case 2:
            bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), 1 + pick(16), 0xff);
            break;
        default: {
            const uint64_t value = kInteresting[pick(std::size(kInteresting))];
            const size_t width = pick(2) == 0 ? 4 : 8;
            for (size_t i = 0; i < width && at + i < bytes.size(); ++i) {
                bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
            }
        }
    }
    return bytes;
}

std::vector<Bytes> seeds() {
    return testing::seed_files(
        {assistd::testing::shared_path("models/llm/stories260K.gguf"),
         assistd::testing::shared_path("models/llm/TinyStories-656K-Q8_0.gguf")});
}

TEST(GgufCorpus, SeedsParseAndKeepEveryPromise) {
    const std::vector<Bytes> all = seeds();
    ASSERT_EQ(all.size(), 7u);
    for (const Bytes& seed : all) {
        Result<void> checked = parse_and_check(seed);
        EXPECT_TRUE(checked.ok()) << checked.error().message;
    }
}

TEST(GgufCorpus, MutatedSeedsNeverBreakAPromise) {
    std::mt19937_64 rng(20261128);
    size_t parsed = 0;
    size_t total = 0;
    for (const Bytes& seed : seeds()) {
        // Large seeds cost more per parse; small ones get more mutations.
        const size_t rounds = seed.size() > 4096 ? 2000 : 20000;
        for (size_t i = 0; i < rounds; ++i) {
            Bytes mutant = mutate(seed, rng);
            if (rng() % 4 == 0) mutant = mutate(std::move(mutant), rng);
            Result<void> checked = parse_and_check(mutant);
            ASSERT_TRUE(checked.ok()) << "mutant " << i << ": " << checked.error().message;
            parsed += GgufFile::parse(mutant).ok() ? 1 : 0;
            ++total;
        }
    }
    // Some mutants must still parse, or the invariant checks never ran on them.
    EXPECT_GT(parsed, total / 20) << parsed << " of " << total << " parsed";
}

}  // namespace
}  // namespace assistd::gguf
