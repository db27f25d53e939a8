// RequestGate: decides, before any handler runs, whether a request may go on — deny by default.
// A public route passes; any other needs a credential (401 without a valid one), the route's
// scope and the requested model (403 otherwise) and room in the credential's limits (429 with
// Retry-After otherwise). With authentication off every request passes as nobody.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "security/authenticator.h"
#include "security/rate_limiter.h"
#include "server/exchange.h"
#include "server/router.h"

namespace assistd::server {

struct Refusal {
    http::status status;
    std::string body;                 // OpenAI error JSON
    int64_t retry_after_seconds = 0;  // > 0: sent as Retry-After
};

struct GateVerdict {
    std::optional<Refusal> refusal;  // set: answer it and stop
    Caller caller;                   // otherwise: who the handler serves
};

class RequestGate {
  public:
    // `authenticator` null: authentication is off.
    explicit RequestGate(security::Authenticator* authenticator) : authenticator_(authenticator) {}

    GateVerdict check(const Request& request, const Router::Match& match);

  private:
    security::Authenticator* authenticator_;
    security::RateLimiter limiter_;
};

}  // namespace assistd::server
