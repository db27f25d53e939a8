#include "server/listening_socket.h"

#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

namespace assistd::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Result<int> open_listening_socket(const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(host, ec);
    if (ec) return Error{"service.host '" + host + "' is not an IP address"};
    const tcp::endpoint endpoint(address, port);
    const std::string where = host + ":" + std::to_string(port);
    net::io_context io;
    tcp::acceptor acceptor(io);
    if (acceptor.open(endpoint.protocol(), ec); ec) {
        return Error{"cannot open a socket for " + where + ": " + ec.message()};
    }
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) {
        return Error{"cannot listen on " + where + ": " + ec.message()};
    }
    if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
        return Error{"cannot listen on " + where + ": " + ec.message()};
    }
    return acceptor.release();
}

tcp::endpoint listening_endpoint(int fd) {
    tcp::endpoint endpoint;
    socklen_t size = static_cast<socklen_t>(endpoint.capacity());
    ::getsockname(fd, endpoint.data(), &size);
    endpoint.resize(size);
    return endpoint;
}

}  // namespace assistd::server
