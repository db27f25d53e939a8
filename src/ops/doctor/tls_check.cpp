// The TLS check: the certificate and key load as the server loads them (a pair, PEM, matching),
// and the leaf certificate is not expired or about to be; an expired certificate turns every
// client away at the handshake.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "ops/doctor/checks.h"
#include "server/tls_certificates.h"

namespace assistd::ops::doctor {
namespace {

constexpr int kWarnDays = 14;

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};

// Seconds from `now` until the leaf's notAfter (negative once expired), or nothing if unreadable.
std::optional<int64_t> seconds_left(const std::string& cert_file,
                                    std::chrono::system_clock::time_point now) {
    std::FILE* file = std::fopen(cert_file.c_str(), "r");
    if (file == nullptr) return std::nullopt;
    std::unique_ptr<X509, X509Free> leaf(PEM_read_X509(file, nullptr, nullptr, nullptr));
    std::fclose(file);
    if (!leaf) return std::nullopt;
    const std::time_t now_t = std::chrono::system_clock::to_time_t(now);
    int days = 0;
    int seconds = 0;
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> from(ASN1_TIME_set(nullptr, now_t),
                                                               &ASN1_TIME_free);
    if (!ASN1_TIME_diff(&days, &seconds, from.get(), X509_get0_notAfter(leaf.get()))) {
        return std::nullopt;
    }
    return int64_t{days} * 86400 + seconds;
}

}  // namespace

CheckResult check_tls(const ServiceConfig& service, std::chrono::system_clock::time_point now) {
    const server::TlsSettings settings{service.tls_cert, service.tls_key, service.tls_min_version};
    if (!settings.enabled()) return CheckResult::ok("tls", "off (plain HTTP)");
    auto loaded = server::TlsCertificates::load(settings);
    if (!loaded) {
        return CheckResult::fail("tls", loaded.error().message,
                                 "point service.tls.cert at the PEM chain and service.tls.key at "
                                 "its private key");
    }
    const std::optional<int64_t> seconds = seconds_left(service.tls_cert, now);
    if (!seconds) {
        return CheckResult::fail("tls", service.tls_cert + ": expiry date unreadable",
                                 "replace the certificate");
    }
    const std::string fingerprint = (*loaded)->fingerprint().substr(0, 23);
    const int64_t days = *seconds / 86400;  // whole days, towards zero
    if (*seconds < 0) {
        return CheckResult::fail(
            "tls", service.tls_cert + " expired " + std::to_string(-days) + " days ago",
            "renew the certificate (e.g. certbot renew), then SIGHUP");
    }
    const std::string finding =
        service.tls_cert + " (" + fingerprint + "...) expires in " + std::to_string(days) + " days";
    if (days < kWarnDays) {
        return CheckResult::warn("tls", finding,
                                 "renew the certificate (e.g. certbot renew), then SIGHUP");
    }
    return CheckResult::ok("tls", finding);
}

}  // namespace assistd::ops::doctor
