// The port check: binds service.host:port the way the server's acceptor does (SO_REUSEADDR, so a
// socket of a stopped server in TIME_WAIT is no conflict) and closes it at once.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {

CheckResult check_port(const ServiceConfig& service) {
    const std::string where = service.host + ":" + std::to_string(service.port);
    if (service.port == 0)
        return CheckResult::ok("port", where + ": any free port, logged at start");
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const int resolved =
        ::getaddrinfo(service.host.c_str(), std::to_string(service.port).c_str(), &hints, &found);
    if (resolved != 0) {
        return CheckResult::fail("port", where + ": " + ::gai_strerror(resolved),
                                 "set service.host to an address of this machine");
    }
    const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
    int error = fd < 0 ? errno : 0;
    if (fd >= 0) {
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) error = errno;
        ::close(fd);
    }
    ::freeaddrinfo(found);
    if (error == EADDRINUSE) {
        return CheckResult::fail("port", where + " is in use",
                                 "stop the process holding it (ss -ltnp 'sport = :" +
                                     std::to_string(service.port) + "') or set service.port");
    }
    if (error != 0) {
        return CheckResult::fail("port", where + ": " + std::strerror(error),
                                 error == EACCES ? "use a port above 1023 or grant "
                                                   "CAP_NET_BIND_SERVICE"
                                                 : "set service.host to an address of this "
                                                   "machine");
    }
    return CheckResult::ok("port", where + " is free");
}

}  // namespace assistd::ops::doctor
