#include "server/router.h"

namespace assistd::server {

void Router::add(http::verb method, std::string pattern, Access access, Handler handler) {
    const size_t slot = pattern.find("{}");
    const bool has_param = slot != std::string::npos;
    std::string prefix = pattern.substr(0, slot);
    std::string suffix = has_param ? pattern.substr(slot + 2) : "";
    routes_.push_back(Route{method, std::move(pattern), std::move(prefix), std::move(suffix),
                            has_param, access, std::move(handler)});
}

Router::Match Router::match(http::verb method, std::string_view target) const {
    const std::string_view path = target.substr(0, target.find('?'));
    Match found;
    for (const Route& route : routes_) {
        std::string param;
        if (route.has_param) {
            if (!path.starts_with(route.prefix) || !path.ends_with(route.suffix) ||
                path.size() <= route.prefix.size() + route.suffix.size()) {
                continue;
            }
            param = std::string(path.substr(
                route.prefix.size(), path.size() - route.prefix.size() - route.suffix.size()));
            if (param.find('/') != std::string::npos) continue;
        } else if (path != route.prefix) {
            continue;
        }
        found.path_known = true;
        if (route.method == method) {
            found.handler = &route.handler;
            found.pattern = route.pattern;
            found.access = route.access;
            found.path_param = std::move(param);
            return found;
        }
    }
    return found;
}

}  // namespace assistd::server
