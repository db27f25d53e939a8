#include "server/session_stream.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace assistd::server {

namespace beast = boost::beast;
namespace net = boost::asio;

SessionStream::SessionStream(net::ip::tcp::socket socket)
    : stream_(std::in_place_type<beast::tcp_stream>, std::move(socket)) {}

SessionStream::SessionStream(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> tls)
    : tls_(std::move(tls)), stream_(std::in_place_type<TlsStream>, std::move(socket), *tls_) {}

beast::tcp_stream& SessionStream::tcp() {
    return std::visit(
        [](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); },
        stream_);
}

void SessionStream::handshake(Done done) {
    if (auto* tls = std::get_if<TlsStream>(&stream_)) {
        tls->async_handshake(net::ssl::stream_base::server, std::move(done));
        return;
    }
    net::post(get_executor(), [done = std::move(done)] { done({}); });
}

void SessionStream::read_request(beast::flat_buffer& buffer, RequestParser& parser,
                                 Transferred done) {
    std::visit(
        [&](auto& stream) { beast::http::async_read(stream, buffer, parser, std::move(done)); },
        stream_);
}

void SessionStream::read_some(net::mutable_buffer into, Transferred done) {
    std::visit([&](auto& stream) { stream.async_read_some(into, std::move(done)); }, stream_);
}

void SessionStream::write(net::const_buffer bytes, Transferred done) {
    std::visit([&](auto& stream) { net::async_write(stream, bytes, std::move(done)); }, stream_);
}

void SessionStream::expires_after(std::chrono::steady_clock::duration timeout) {
    tcp().expires_after(timeout);
}

void SessionStream::expires_never() {
    tcp().expires_never();
}

void SessionStream::cancel() {
    beast::error_code ignored;
    socket().cancel(ignored);
}

void SessionStream::shutdown_send() {
    beast::error_code ignored;
    socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

void SessionStream::close() {
    beast::error_code ignored;
    socket().close(ignored);
}

net::ip::tcp::socket& SessionStream::socket() {
    return tcp().socket();
}

net::any_io_executor SessionStream::get_executor() {
    return tcp().get_executor();
}

}  // namespace assistd::server
