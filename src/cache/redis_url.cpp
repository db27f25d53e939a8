#include "cache/redis_url.h"

#include <charconv>

namespace assistd::cache {
namespace {

template <typename T>
bool parse_number(std::string_view text, T max, T& out) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && out <= max;
}

}  // namespace

Result<RedisAddress> parse_redis_url(std::string_view url) {
    constexpr std::string_view kScheme = "redis://";
    const auto bad = [url](std::string_view why) {
        return Error{"redis URL '" + std::string(url) + "': " + std::string(why) +
                     " (expected redis://[:password@]host[:port][/db])"};
    };
    if (!url.starts_with(kScheme)) return bad("not a redis:// URL");
    std::string_view rest = url.substr(kScheme.size());
    RedisAddress address;
    if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view credentials = rest.substr(0, at);
        const size_t colon = credentials.find(':');
        address.password = std::string(
            colon == std::string_view::npos ? credentials : credentials.substr(colon + 1));
        rest = rest.substr(at + 1);
    }
    if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
        std::string_view db = rest.substr(slash + 1);
        if (!db.empty() && !parse_number(db, 1 << 20, address.db))
            return bad("bad database number");
        rest = rest.substr(0, slash);
    }
    if (const size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
        uint32_t port = 0;
        if (!parse_number<uint32_t>(rest.substr(colon + 1), 65535, port) || port == 0) {
            return bad("bad port");
        }
        address.port = static_cast<uint16_t>(port);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return bad("no host");
    address.host = std::string(rest);
    return address;
}

}  // namespace assistd::cache
