#include "cache/redis_url.h"

#include <gtest/gtest.h>

namespace assistd::cache {
namespace {

TEST(RedisUrl, HostAloneGetsTheDefaultPortAndDatabase) {
    EXPECT_EQ(*parse_redis_url("redis://cache.internal"),
              (RedisAddress{"cache.internal", 6379, 0}));
}

TEST(RedisUrl, ReadsPasswordPortAndDatabase) {
    EXPECT_EQ(*parse_redis_url("redis://:s3cret@10.0.0.5:6380/2"),
              (RedisAddress{"10.0.0.5", 6380, 2, "s3cret"}));
    EXPECT_EQ(*parse_redis_url("redis://user:pw@localhost/1"),
              (RedisAddress{"localhost", 6379, 1, "pw"}));
}

TEST(RedisUrl, RefusesWhatIsNotARedisUrl) {
    for (const char* bad : {"http://localhost", "redis://", "redis://host:0", "redis://host:99999",
                            "redis://host:port", "redis://host/x"}) {
        EXPECT_FALSE(parse_redis_url(bad).ok()) << bad;
    }
}

}  // namespace
}  // namespace assistd::cache
