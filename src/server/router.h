// Router: maps a method and path to the handler that answers it and to who may call it. Unknown
// paths get 404 and known paths with another method 405, both as OpenAI-style error JSON.
//
//   router.add(http::verb::get, "/v1/models/{}", Access::scoped(Scope::ModelInvoke), list_one);
//
// Every route states its Access, so no route is public by omission.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "security/scopes.h"
#include "server/exchange.h"

namespace assistd::server {

using Handler = std::function<void(const std::shared_ptr<Exchange>& exchange)>;

// Who may call a route.
struct Access {
    enum class Kind { Public, AnyCredential, Scoped };
    Kind kind = Kind::AnyCredential;
    security::Scope scope = security::Scope::ModelInvoke;  // for Scoped

    static Access open() { return {Kind::Public}; }                   // health probes only
    static Access any_credential() { return {Kind::AnyCredential}; }  // e.g. /v1/auth/session
    static Access scoped(security::Scope scope) { return {Kind::Scoped, scope}; }
};

class Router {
  public:
    // `pattern` is a literal path, optionally with one "{}" that matches one non-empty segment
    // ("/v1/models/{}", "/v1/admin/models/{}/activate").
    void add(http::verb method, std::string pattern, Access access, Handler handler);

    struct Match {
        const Handler* handler = nullptr;  // null: no route
        std::string_view pattern;          // the route's pattern as added, e.g. "/v1/models/{}"
        // Of the matched route; a path with no route needs some credential to learn that.
        Access access = Access::any_credential();
        std::string path_param;
        bool path_known = false;  // some route has this path, maybe with another method
    };
    Match match(http::verb method, std::string_view target) const;

  private:
    struct Route {
        http::verb method;
        std::string pattern;
        std::string prefix;  // the pattern before its "{}" (all of it when it has none)
        std::string suffix;  // the pattern after its "{}"
        bool has_param;
        Access access;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace assistd::server
