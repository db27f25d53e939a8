// Exchange: one HTTP request and the response a handler gives it, as the handler sees them.
//
// A handler answers once with reply(), or streams Server-Sent Events with begin_stream(),
// send_event()... end_stream(). Every method may be called from any thread (the engine's
// callbacks arrive on the engine thread); the writes happen in order on the connection's thread.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "security/principal.h"
#include "security/rate_limiter.h"

namespace assistd::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;

class HttpSession;

// Who a request was admitted as. The lease holds one of the credential's concurrent slots for as
// long as the exchange lives, which is until the last part of its answer is handed over.
struct Caller {
    std::optional<security::Principal> principal{};  // none: a public route, or auth is off
    std::unique_ptr<security::RateLimiter::Lease> lease{};
};

class Exchange {
  public:
    Exchange(std::shared_ptr<HttpSession> session, Request request, std::string request_id,
             std::string path_param, Caller caller = {});

    const Request& request() const { return request_; }
    // Names this request in log lines; its response carries it as X-Request-Id.
    const std::string& request_id() const { return request_id_; }
    // What a route pattern's `{}` matched, e.g. the id in /v1/models/{}.
    const std::string& path_param() const { return path_param_; }
    const security::Principal* principal() const {
        return caller_.principal ? &*caller_.principal : nullptr;
    }
    // Counts tokens the request used against its credential's tokens-per-minute limit.
    void charge_tokens(int64_t tokens) const {
        if (caller_.lease) caller_.lease->charge_tokens(tokens);
    }

    // A header for the response, whichever way it is answered; set it before reply() or
    // begin_stream().
    void set_header(std::string_view name, std::string_view value);
    void reply(http::status status, std::string body,
               std::string_view content_type = "application/json");
    void begin_stream();                 // 200, text/event-stream, chunked
    void send_event(std::string frame);  // one complete SSE frame, e.g. "data: {...}\n\n"
    void end_stream();

    // Whether the client closed its connection; on_client_gone runs (on the connection's
    // thread, once) when that happens before the response is complete.
    bool client_gone() const;
    void on_client_gone(std::function<void()> callback);

  private:
    std::shared_ptr<HttpSession> session_;
    Request request_;
    std::string request_id_;
    std::string path_param_;
    Caller caller_;
    mutable std::mutex headers_mutex_;
    http::fields headers_;
};

}  // namespace assistd::server
