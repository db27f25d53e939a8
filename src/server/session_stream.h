// SessionStream: the byte stream under one HttpSession — plain TCP, or TLS over TCP — so one
// session logic serves both. Both forms keep Beast's per-operation timeouts (tcp_stream).
//
// A TLS stream holds the context it was accepted with, so a certificate reload never pulls it
// from under an open connection.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <variant>

namespace assistd::server {

class SessionStream {
  public:
    using Done = std::function<void(boost::beast::error_code)>;
    using Transferred = std::function<void(boost::beast::error_code, size_t)>;
    using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

    explicit SessionStream(boost::asio::ip::tcp::socket socket);
    SessionStream(boost::asio::ip::tcp::socket socket,
                  std::shared_ptr<boost::asio::ssl::context> tls);

    bool secure() const { return tls_ != nullptr; }
    // The TLS server handshake; for plain TCP `done` runs at once (posted, never inline).
    void handshake(Done done);
    void read_request(boost::beast::flat_buffer& buffer, RequestParser& parser, Transferred done);
    void read_some(boost::asio::mutable_buffer into, Transferred done);
    void write(boost::asio::const_buffer bytes, Transferred done);

    void expires_after(std::chrono::steady_clock::duration timeout);
    void expires_never();
    void cancel();         // pending operations end with operation_aborted
    void shutdown_send();  // half-close: the client sees the end of the answer
    void close();
    boost::asio::ip::tcp::socket& socket();
    boost::asio::any_io_executor get_executor();

  private:
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    boost::beast::tcp_stream& tcp();

    std::shared_ptr<boost::asio::ssl::context> tls_;  // null: plain TCP
    std::variant<boost::beast::tcp_stream, TlsStream> stream_;
};

}  // namespace assistd::server
