#include "server/http_server.h"

#include <unistd.h>

#include <boost/asio/ip/address.hpp>

#include "server/listening_socket.h"

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
    Result<int> fd = open_listening_socket(host, port);
    if (!fd) return fd.error();
    return adopt(*fd);
}

Result<tcp::endpoint> HttpServer::adopt(int fd) {
    boost::system::error_code ec;
    if (acceptor_.assign(listening_endpoint(fd).protocol(), fd, ec); ec) {
        ::close(fd);
        return Error{"cannot accept on the inherited socket: " + ec.message()};
    }
    accept();
    return acceptor_.local_endpoint();
}

void HttpServer::stop_accepting() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
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
