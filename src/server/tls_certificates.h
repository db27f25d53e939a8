// TlsCertificates: the server's certificate and private key as an OpenSSL context, reloadable.
//
// Each accepted connection takes the current context (a shared_ptr it keeps until it closes), so
// reload() on SIGHUP swaps in a new certificate for new connections while open ones finish with
// the one they started with. A pair that fails to load leaves the current one in place.
//
// Protocol: TLS 1.3 only by default; min_version "1.2" also admits TLS 1.2 with forward-secret
// AEAD suites (ECDHE + AES-GCM or ChaCha20-Poly1305) and nothing older.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"

namespace assistd::server {

struct TlsSettings {
    std::string cert_file{};  // PEM certificate chain, leaf first
    std::string key_file{};   // PEM private key of the leaf
    std::string min_version = "1.3";

    bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

class TlsCertificates {
  public:
    // Errors name the key and file: missing, unreadable, not PEM, or a key of another certificate.
    static Result<std::unique_ptr<TlsCertificates>> load(TlsSettings settings);

    std::shared_ptr<boost::asio::ssl::context> current() const { return context_; }
    // SHA-256 of the current leaf certificate, "AB:CD:...", as `openssl x509 -fingerprint` shows.
    const std::string& fingerprint() const { return fingerprint_; }
    // Reads the files again; on error the current certificate stays.
    Result<void> reload();

  private:
    explicit TlsCertificates(TlsSettings settings) : settings_(std::move(settings)) {}

    TlsSettings settings_;
    std::shared_ptr<boost::asio::ssl::context> context_;
    std::string fingerprint_;
};

}  // namespace assistd::server
