// A Redis address written as a URL: redis://[[user]:password@]host[:port][/db], port 6379 and
// database 0 by default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::cache {

struct RedisAddress {
    std::string host;
    uint16_t port = 6379;
    int db = 0;
    std::string password{};  // empty: no AUTH

    bool operator==(const RedisAddress&) const = default;
};

Result<RedisAddress> parse_redis_url(std::string_view url);

}  // namespace assistd::cache
