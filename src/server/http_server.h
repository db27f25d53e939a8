// HttpServer: accepts connections on one address and runs an HttpSession for each, all on the
// thread that runs the io_context.
//
// Draining (graceful shutdown): the listener stays open so late clients get a clear 503 instead
// of a refused connection; idle connections close; requests in flight, streams included, finish
// until the deadline, after which every connection is closed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "server/http_session.h"
#include "server/router.h"
#include "server/server_limits.h"
#include "server/tls_certificates.h"

namespace assistd::server {

class HttpServer {
  public:
    // `audit` null: no audit log.
    HttpServer(net::io_context& io, const Router& router, RequestGate& gate,
               security::AuditLog* audit, ServerLimits limits, ErrorFormatter format_error);

    // Serves HTTPS: each new connection takes `certificates`' current context. Before listen().
    void use_tls(const TlsCertificates& certificates) { tls_ = &certificates; }
    // Binds and starts accepting; port 0 picks a free port. Returns the bound address.
    Result<tcp::endpoint> listen(const std::string& host, uint16_t port);
    // Starts accepting on a socket that is already listening (a worker's, inherited from its
    // master); takes ownership of `fd`. Returns the bound address.
    Result<tcp::endpoint> adopt(int fd);
    // Closes the listening socket: new connections go to whoever else listens on it (the other
    // workers), not to a 503. Before drain() when this server is one of several.
    void stop_accepting();

    // Starts draining; `drained` runs once every connection has closed (at the latest after
    // `deadline`).
    void drain(std::chrono::milliseconds deadline, std::function<void()> drained);
    bool draining() const { return draining_; }
    // Told every response's route pattern and status (see SessionContext::answered).
    void on_answered(std::function<void(std::string_view route, unsigned status)> answered) {
        answered_ = std::move(answered);
    }
    size_t open_connections() const { return sessions_.size(); }

  private:
    void accept();
    void session_closed(HttpSession* session);
    void finish_drain();

    net::io_context& io_;
    tcp::acceptor acceptor_;
    const Router& router_;
    RequestGate& gate_;
    security::AuditLog* audit_;
    const TlsCertificates* tls_ = nullptr;  // null: plain HTTP
    const ServerLimits limits_;
    const ErrorFormatter format_error_;
    std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions_;
    bool draining_ = false;
    std::function<void()> drained_;
    std::function<void(std::string_view route, unsigned status)> answered_;
    net::steady_timer deadline_timer_;
};

}  // namespace assistd::server
