#include "server/http_server.h"

#include <boost/asio/ip/address.hpp>

namespace assistd::server {

HttpServer::HttpServer(net::io_context& io, const Router& router, RequestGate& gate,
                       security::AuditLog* audit, ServerLimits limits, ErrorFormatter format_error)
    : io_(io),
      acceptor_(io),
      router_(router),
      gate_(gate),
      audit_(audit),
      limits_(limits),
      format_error_(std::move(format_error)),
      deadline_timer_(io) {}

Result<tcp::endpoint> HttpServer::listen(const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(host, ec);
    if (ec) return Error{"service.host '" + host + "' is not an IP address"};
    const tcp::endpoint endpoint(address, port);
    const std::string where = host + ":" + std::to_string(port);
    if (acceptor_.open(endpoint.protocol(), ec); ec) {
        return Error{"cannot open a socket for " + where + ": " + ec.message()};
    }
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (acceptor_.bind(endpoint, ec); ec) {
        return Error{"cannot listen on " + where + ": " + ec.message()};
    }
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
        return Error{"cannot listen on " + where + ": " + ec.message()};
    }
    accept();
    return acceptor_.local_endpoint();
}

void HttpServer::accept() {
    acceptor_.async_accept(io_, [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) {
            SessionContext context{router_,
                                   limits_,
                                   format_error_,
                                   gate_,
                                   audit_,
                                   [this] { return draining_; },
                                   [this](HttpSession* session) { session_closed(session); },
                                   answered_};
            auto session = std::make_shared<HttpSession>(
                std::move(socket), tls_ ? tls_->current() : nullptr, std::move(context));
            sessions_.emplace(session.get(), session);
            session->start();
        }
        accept();
    });
}

void HttpServer::session_closed(HttpSession* session) {
    sessions_.erase(session);
    if (draining_ && sessions_.empty()) finish_drain();
}

void HttpServer::drain(std::chrono::milliseconds deadline, std::function<void()> drained) {
    if (draining_) return;
    draining_ = true;
    drained_ = std::move(drained);
    // Copy first: closing a session erases it from the map.
    std::vector<std::shared_ptr<HttpSession>> open;
    for (auto& [raw, weak] : sessions_) {
        if (auto session = weak.lock()) open.push_back(std::move(session));
    }
    for (auto& session : open) session->close_if_idle();
    if (sessions_.empty()) {
        finish_drain();
        return;
    }
    deadline_timer_.expires_after(deadline);
    deadline_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        std::vector<std::shared_ptr<HttpSession>> left;
        for (auto& [raw, weak] : sessions_) {
            if (auto session = weak.lock()) left.push_back(std::move(session));
        }
        for (auto& session : left) session->close();
        finish_drain();
    });
}

void HttpServer::finish_drain() {
    if (!drained_) return;
    deadline_timer_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    auto drained = std::move(drained_);
    drained_ = nullptr;
    drained();
}

}  // namespace assistd::server
