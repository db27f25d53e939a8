// The listening TCP socket as a plain descriptor: the master of `assistd serve` binds it once and
// every worker it forks inherits it and accepts on it (HttpServer::adopt). One socket means one
// accept queue: a connection waiting there is taken by whichever worker is free, and survives
// the worker that was meant to take it exiting (a crash, the end of a reload's drain).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace assistd::server {

// Binds host:port (port 0: any free one) and listens; errors name the address.
Result<int> open_listening_socket(const std::string& host, uint16_t port);
// The address `fd` is bound to (the port a port 0 picked).
boost::asio::ip::tcp::endpoint listening_endpoint(int fd);

}  // namespace assistd::server
