// HttpSession: one client connection, plain or TLS (see SessionStream). Reads a request (within the
// size and time limits), hands it to its route, writes the answer, and keeps the connection for the
// next request.
//
// While a handler works, the session keeps reading the socket: that is how it learns at once
// that a client went away (the engine then stops decoding for it). Bytes of a pipelined next
// request read meanwhile are kept for it.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "security/audit_log.h"
#include "server/exchange.h"
#include "server/request_gate.h"
#include "server/router.h"
#include "server/server_limits.h"
#include "server/session_stream.h"

namespace assistd::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Formats a transport-level error (404, 405, 413, 503...) in the API's error format.
using ErrorFormatter = std::function<std::string(http::status status, std::string_view message)>;

// What a session needs from the server that owns it.
struct SessionContext {
    const Router& router;
    const ServerLimits& limits;
    const ErrorFormatter& format_error;
    RequestGate& gate;
    security::AuditLog* audit;       // null: no audit log
    std::function<bool()> draining;  // true: answer 503 and close
    std::function<void(HttpSession*)> closed;
    // Every response's status, with the pattern of the route that answered ("" when none did).
    std::function<void(std::string_view route, unsigned status)> answered;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    // `tls` null: plain HTTP; otherwise the connection starts with a TLS handshake under it.
    HttpSession(tcp::socket socket, std::shared_ptr<net::ssl::context> tls, SessionContext context);

    void start();
    // Closes the connection now if it is between requests (draining the server).
    void close_if_idle();
    void close();

    // Called through Exchange, on the session's thread.
    void reply(http::status status, std::string body, std::string_view content_type,
               const http::fields& extra_headers = {});
    void begin_stream(const http::fields& extra_headers = {});
    void send_event(std::string frame);
    void end_stream();
    bool client_gone() const { return client_gone_; }
    void on_client_gone(std::function<void()> callback);

    net::any_io_executor executor() { return stream_.get_executor(); }

  private:
    void on_handshake(boost::beast::error_code ec);
    void read_request();
    void on_request(boost::beast::error_code ec);
    void begin_audit(const Request& request);
    void watch_for_disconnect();
    void write(std::string bytes);
    void write_next();
    void exchange_finished();
    void after_exchange();  // the next request, or a lingering close
    void discard_until_closed();
    void reply_error(http::status status, std::string_view message);
    void reply_refusal(const Refusal& refusal);

    SessionStream stream_;
    SessionContext context_;
    boost::beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;

    bool in_exchange_ = false;  // a request is being answered
    std::string route_;         // the pattern of the route answering it, for metrics
    std::string request_id_;    // of the request being answered (see request_id.h)
    bool keep_alive_ = false;   // of the request being answered
    bool response_complete_ = false;
    bool watching_ = false;                 // the disconnect watch read is pending
    std::atomic<bool> client_gone_{false};  // also read by engine threads
    bool closed_ = false;
    // Accepted before a drain began and no request read yet: the client sent (or is sending) its
    // request to a server that was accepting, so the drain answers it rather than dropping it.
    bool first_request_owed_;
    std::vector<std::function<void()>> gone_callbacks_;
    std::deque<std::string> outbox_;  // bytes waiting to be written, in order
    bool writing_ = false;
    std::vector<char> watch_bytes_;
    // The audit line of the exchange in progress, written when its response is complete.
    security::AuditRecord audit_record_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace assistd::server
