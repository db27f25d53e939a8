#include "server/http_session.h"

#include <spdlog/spdlog.h>

#include <sstream>
#include <utility>

#include "server/request_id.h"

namespace assistd::server {
namespace {

namespace beast = boost::beast;

std::string chunk(std::string_view data) {
    std::ostringstream framed;
    framed << std::hex << data.size() << "\r\n" << data << "\r\n";
    return framed.str();
}

int64_t unix_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr std::string_view kLastChunk = "0\r\n\r\n";
constexpr size_t kMaxPipelinedBytes = 64 << 10;
constexpr std::chrono::seconds kLingerTime{2};

}  // namespace

HttpSession::HttpSession(tcp::socket socket, std::shared_ptr<net::ssl::context> tls,
                         SessionContext context)
    : stream_(tls ? SessionStream(std::move(socket), std::move(tls))
                  : SessionStream(std::move(socket))),
      context_(std::move(context)),
      first_request_owed_(!context_.draining()),
      watch_bytes_(4096) {}

void HttpSession::start() {
    stream_.expires_after(context_.limits.read_timeout);
    stream_.handshake(
        [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
}

void HttpSession::on_handshake(beast::error_code ec) {
    if (ec) {
        // An old protocol version, a scanner, a client that distrusts the certificate: their
        // problem to report, one line here for whoever wonders why a client cannot connect.
        spdlog::debug("TLS handshake failed: {}", ec.message());
        close();
        return;
    }
    read_request();
}

void HttpSession::read_request() {
    if (closed_) return;
    in_exchange_ = false;
    response_complete_ = false;
    parser_.emplace();
    parser_->body_limit(context_.limits.max_body_bytes);
    parser_->header_limit(context_.limits.max_header_bytes);
    // The first request gets the read timeout; a kept-alive socket may idle a little longer, but
    // once a request starts it must finish within the read timeout (checked in on_request).
    stream_.expires_after(buffer_.size() == 0 && keep_alive_ ? context_.limits.idle_timeout
                                                             : context_.limits.read_timeout);
    stream_.read_request(
        buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_request(ec); });
}

void HttpSession::on_request(beast::error_code ec) {
    const bool owed = std::exchange(first_request_owed_, false);
    route_.clear();
    // An answer to a request that could not be read still gets an id and its own audit line.
    request_id_ = new_request_id();
    audit_record_ = {.time_ms = unix_millis(), .request_id = request_id_};
    started_ = std::chrono::steady_clock::now();
    if (ec == http::error::body_limit) {
        keep_alive_ = false;
        in_exchange_ = true;
        reply_error(http::status::payload_too_large,
                    "the request body is larger than the limit of " +
                        std::to_string(context_.limits.max_body_bytes) + " bytes");
        return;
    }
    if (ec == http::error::header_limit) {
        keep_alive_ = false;
        in_exchange_ = true;
        reply_error(http::status::request_header_fields_too_large,
                    "the request headers are larger than the limit");
        return;
    }
    if (ec) {
        // A TLS client that hangs up without close_notify truncates the stream: also a goodbye.
        if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
            ec != net::error::operation_aborted && ec != net::ssl::error::stream_truncated &&
            !closed_) {
            // Malformed HTTP: say so once, then hang up.
            keep_alive_ = false;
            in_exchange_ = true;
            reply_error(http::status::bad_request, "malformed HTTP request: " + ec.message());
            return;
        }
        close();
        return;
    }
    Request request = parser_->release();
    in_exchange_ = true;
    if (auto given = request.find("X-Request-Id"); given != request.end()) {
        const std::string id(given->value());
        if (is_sane_request_id(id)) request_id_ = id;
    }
    begin_audit(request);
    keep_alive_ = request.keep_alive() && !context_.draining();
    if (context_.draining() && !owed) {
        reply_error(http::status::service_unavailable,
                    "the server is shutting down; retry on another instance");
        return;
    }
    const std::string target(request.target());
    const Router::Match match = context_.router.match(request.method(), target);
    GateVerdict verdict = context_.gate.check(request, match);
    if (verdict.caller.principal)
        audit_record_.credential = verdict.caller.principal->credential_id;
    if (verdict.refusal) {
        reply_refusal(*verdict.refusal);
        return;
    }
    if (match.handler == nullptr) {
        const std::string path = target.substr(0, target.find('?'));
        if (match.path_known) {
            reply_error(http::status::method_not_allowed,
                        std::string(request.method_string()) + " is not allowed on " + path);
        } else {
            reply_error(http::status::not_found, "no route for " + path);
        }
        return;
    }
    route_ = match.pattern;
    stream_.expires_never();
    watch_for_disconnect();
    auto exchange = std::make_shared<Exchange>(shared_from_this(), std::move(request), request_id_,
                                               match.path_param, std::move(verdict.caller));
    try {
        (*match.handler)(exchange);
    } catch (const std::exception& error) {
        // A bug in one handler must cost one request a 500, not every client its server.
        spdlog::error("{}: handler for {} threw: {}", request_id_, target, error.what());
        reply_error(http::status::internal_server_error,
                    "internal error: " + std::string(error.what()));
    }
}

void HttpSession::begin_audit(const Request& request) {
    started_ = std::chrono::steady_clock::now();
    beast::error_code ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    const auto target = request.target();
    audit_record_ = {.time_ms = unix_millis(),
                     .request_id = request_id_,
                     .source = ec ? "" : peer.address().to_string(),
                     .method = std::string(request.method_string()),
                     .route = std::string(target.substr(0, target.find('?'))),
                     .bytes_in = request.body().size()};
}

void HttpSession::watch_for_disconnect() {
    if (watching_ || closed_) return;
    watching_ = true;
    stream_.read_some(net::buffer(watch_bytes_),
                      [self = shared_from_this()](beast::error_code ec, size_t n) {
                          self->watching_ = false;
                          if (!ec) {
                              // A pipelined next request: keep its bytes for read_request.
                              auto room = self->buffer_.prepare(n);
                              net::buffer_copy(room, net::buffer(self->watch_bytes_.data(), n));
                              self->buffer_.commit(n);
                              if (self->in_exchange_ && self->buffer_.size() < kMaxPipelinedBytes) {
                                  self->watch_for_disconnect();
                              } else if (!self->in_exchange_) {
                                  self->after_exchange();
                              }
                              return;
                          }
                          if (ec == net::error::operation_aborted) {
                              if (!self->in_exchange_) self->after_exchange();
                              return;
                          }
                          self->close();
                      });
}

void HttpSession::on_client_gone(std::function<void()> callback) {
    if (client_gone_) {
        callback();
        return;
    }
    gone_callbacks_.push_back(std::move(callback));
}

void HttpSession::reply_error(http::status status, std::string_view message) {
    reply(status, context_.format_error(status, message), "application/json");
}

void HttpSession::reply_refusal(const Refusal& refusal) {
    http::fields headers;
    if (refusal.retry_after_seconds > 0) {
        headers.set(http::field::retry_after, std::to_string(refusal.retry_after_seconds));
    }
    if (refusal.status == http::status::unauthorized) {
        headers.set(http::field::www_authenticate, "Bearer");
    }
    reply(refusal.status, refusal.body, "application/json", headers);
}

void HttpSession::reply(http::status status, std::string body, std::string_view content_type,
                        const http::fields& extra_headers) {
    if (response_complete_ || closed_) return;
    http::response<http::string_body> response{status, 11};
    for (const auto& field : extra_headers) response.set(field.name_string(), field.value());
    response.set(http::field::server, "assistd");
    response.set("X-Request-Id", request_id_);
    response.set(http::field::content_type, std::string(content_type));
    keep_alive_ = keep_alive_ && !context_.draining();
    response.keep_alive(keep_alive_);
    response.body() = std::move(body);
    response.prepare_payload();
    audit_record_.status = static_cast<int>(status);
    std::ostringstream bytes;
    bytes << response;
    response_complete_ = true;
    if (context_.answered) context_.answered(route_, static_cast<unsigned>(status));
    write(bytes.str());
}

void HttpSession::begin_stream(const http::fields& extra_headers) {
    if (response_complete_ || closed_) return;
    http::response<http::empty_body> response{http::status::ok, 11};
    for (const auto& field : extra_headers) response.set(field.name_string(), field.value());
    response.set(http::field::server, "assistd");
    response.set("X-Request-Id", request_id_);
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-cache");
    keep_alive_ = keep_alive_ && !context_.draining();
    response.keep_alive(keep_alive_);
    response.chunked(true);
    audit_record_.status = static_cast<int>(http::status::ok);
    std::ostringstream bytes;
    bytes << response.base();
    if (context_.answered) context_.answered(route_, 200);
    write(bytes.str());
}

void HttpSession::send_event(std::string frame) {
    if (response_complete_ || closed_) return;
    write(chunk(frame));
}

void HttpSession::end_stream() {
    if (response_complete_ || closed_) return;
    response_complete_ = true;
    write(std::string(kLastChunk));
}

void HttpSession::write(std::string bytes) {
    audit_record_.bytes_out += bytes.size();
    outbox_.push_back(std::move(bytes));
    if (!writing_) write_next();
}

void HttpSession::write_next() {
    if (closed_) return;
    if (outbox_.empty()) {
        writing_ = false;
        if (response_complete_) exchange_finished();
        return;
    }
    writing_ = true;
    stream_.expires_after(context_.limits.write_timeout);
    stream_.write(net::buffer(outbox_.front()),
                  [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->stream_.expires_never();
                      if (ec) {
                          self->close();
                          return;
                      }
                      self->outbox_.pop_front();
                      self->write_next();
                  });
}

void HttpSession::exchange_finished() {
    audit_record_.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started_)
                                   .count();
    spdlog::info("{}: {} {} {} {} ms, {} bytes in, {} out", request_id_, audit_record_.method,
                 audit_record_.route, audit_record_.status, audit_record_.latency_ms,
                 audit_record_.bytes_in, audit_record_.bytes_out);
    if (context_.audit != nullptr) context_.audit->append(audit_record_);
    gone_callbacks_.clear();
    in_exchange_ = false;
    if (watching_) {
        stream_.cancel();  // the watch's handler goes on with after_exchange
    } else {
        after_exchange();
    }
}

void HttpSession::after_exchange() {
    // A drain that began during a stream: close rather than wait for a request to refuse.
    if (keep_alive_ && !context_.draining()) {
        read_request();
        return;
    }
    // Closing at once could reset a client still sending (say, a body over the limit) before it
    // reads the answer; so stop sending, read and discard for a moment, then close.
    stream_.shutdown_send();
    stream_.expires_after(kLingerTime);
    discard_until_closed();
}

void HttpSession::discard_until_closed() {
    stream_.read_some(net::buffer(watch_bytes_),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) {
                              self->close();
                              return;
                          }
                          self->discard_until_closed();
                      });
}

void HttpSession::close_if_idle() {
    if (!in_exchange_ && !first_request_owed_) close();
}

void HttpSession::close() {
    if (closed_) return;
    closed_ = true;
    // Whoever works for an unfinished response (the engine) stops now.
    client_gone_ = true;
    auto callbacks = std::move(gone_callbacks_);
    for (auto& callback : callbacks) callback();
    stream_.close();
    context_.closed(this);
}

}  // namespace assistd::server
