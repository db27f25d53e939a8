// The exposure check: API keys and prompts cross the network in clear text when the server
// listens beyond loopback without TLS.
#include <boost/asio/ip/address.hpp>

#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {
namespace {

bool is_loopback(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

}  // namespace

CheckResult check_exposure(const ServiceConfig& service) {
    const bool tls = !service.tls_cert.empty() || !service.tls_key.empty();
    if (tls) return CheckResult::ok("exposure", "HTTPS on " + service.host);
    if (is_loopback(service.host)) {
        return CheckResult::ok("exposure", "plain HTTP on loopback " + service.host);
    }
    return CheckResult::warn("exposure",
                             "plain HTTP on " + service.host + ", reachable from the network",
                             "set service.tls.cert and service.tls.key, or put a TLS proxy in "
                             "front and listen on 127.0.0.1");
}

}  // namespace assistd::ops::doctor
