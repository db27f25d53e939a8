#include "server/exchange.h"

#include <boost/asio/post.hpp>

#include "server/http_session.h"

namespace assistd::server {

Exchange::Exchange(std::shared_ptr<HttpSession> session, Request request, std::string path_param,
                   Caller caller)
    : session_(std::move(session)),
      request_(std::move(request)),
      path_param_(std::move(path_param)),
      caller_(std::move(caller)) {}

void Exchange::reply(http::status status, std::string body, std::string_view content_type) {
    net::post(session_->executor(), [session = session_, status, body = std::move(body),
                                     type = std::string(content_type)]() mutable {
        session->reply(status, std::move(body), type);
    });
}

void Exchange::begin_stream() {
    net::post(session_->executor(), [session = session_] { session->begin_stream(); });
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
