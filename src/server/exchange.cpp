#include "server/exchange.h"

#include <boost/asio/post.hpp>

#include "server/http_session.h"

namespace assistd::server {

Exchange::Exchange(std::shared_ptr<HttpSession> session, Request request, std::string request_id,
                   std::string path_param, Caller caller)
    : session_(std::move(session)),
      request_(std::move(request)),
      request_id_(std::move(request_id)),
      path_param_(std::move(path_param)),
      caller_(std::move(caller)) {}

void Exchange::set_header(std::string_view name, std::string_view value) {
    std::lock_guard lock(headers_mutex_);
    headers_.set(boost::beast::string_view(name.data(), name.size()),
                 boost::beast::string_view(value.data(), value.size()));
}

void Exchange::reply(http::status status, std::string body, std::string_view content_type) {
    std::lock_guard lock(headers_mutex_);
    net::post(
        session_->executor(),
        [session = session_, status, body = std::move(body), type = std::string(content_type),
         headers = headers_]() mutable { session->reply(status, std::move(body), type, headers); });
}

void Exchange::begin_stream() {
    std::lock_guard lock(headers_mutex_);
    net::post(session_->executor(),
              [session = session_, headers = headers_] { session->begin_stream(headers); });
}

void Exchange::send_event(std::string frame) {
    net::post(session_->executor(), [session = session_, frame = std::move(frame)]() mutable {
        session->send_event(std::move(frame));
    });
}

void Exchange::end_stream() {
    net::post(session_->executor(), [session = session_] { session->end_stream(); });
}

bool Exchange::client_gone() const {
    return session_->client_gone();
}

void Exchange::on_client_gone(std::function<void()> callback) {
    net::post(session_->executor(), [session = session_, callback = std::move(callback)]() mutable {
        session->on_client_gone(std::move(callback));
    });
}

}  // namespace assistd::server
