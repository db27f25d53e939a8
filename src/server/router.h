// Router: maps a method and path to the handler that answers it. Unknown paths get 404 and
// known paths with another method 405, both as OpenAI-style error JSON.
//
//   router.add(http::verb::get, "/v1/models/{}", list_one_model);  // {} matches one segment
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/exchange.h"

namespace assistd::server {

using Handler = std::function<void(const std::shared_ptr<Exchange>& exchange)>;

class Router {
  public:
    // `pattern` is a literal path, optionally ending in "{}" to match one non-empty segment.
    void add(http::verb method, std::string pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr;  // null: no route
        std::string_view pattern;          // the route's pattern as added, e.g. "/v1/models/{}"
        std::string path_param;
        bool path_known = false;  // some route has this path, maybe with another method
    };
    Match match(http::verb method, std::string_view target) const;

  private:
    struct Route {
        http::verb method;
        std::string pattern;
        std::string prefix;  // the pattern without its trailing "{}"
        bool has_param;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace assistd::server
