#include "server/tls_certificates.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <fstream>

namespace assistd::server {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" TLS 1.2 suites; TLS 1.3 suites are all AEAD and OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Result<void> check_readable(const std::string& key, const std::string& path) {
    if (path.empty()) {
        return Error{key + " is empty: service.tls.cert and service.tls.key go together"};
    }
    std::ifstream file(path);
    if (!file) return Error{key + ": cannot read '" + path + "': " + std::strerror(errno)};
    return {};
}

std::string sha256_fingerprint(SSL_CTX* context) {
    X509* leaf = SSL_CTX_get0_certificate(context);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (leaf == nullptr || X509_digest(leaf, EVP_sha256(), digest, &size) != 1) return "";
    std::string text;
    constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned int i = 0; i < size; ++i) {
        if (i > 0) text += ':';
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 15];
    }
    return text;
}

Result<std::shared_ptr<ssl::context>> make_context(const TlsSettings& settings) {
    if (Result<void> ok = check_readable("service.tls.cert", settings.cert_file); !ok)
        return ok.error();
    if (Result<void> ok = check_readable("service.tls.key", settings.key_file); !ok)
        return ok.error();
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    const bool tls12 = settings.min_version == "1.2";
    SSL_CTX_set_min_proto_version(native, tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
    if (tls12) SSL_CTX_set_cipher_list(native, kTls12Ciphers);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                         ssl::context::single_dh_use | SSL_OP_CIPHER_SERVER_PREFERENCE |
                         SSL_OP_NO_RENEGOTIATION);
    boost::system::error_code ec;
    if (context->use_certificate_chain_file(settings.cert_file, ec); ec) {
        return Error{"service.tls.cert: '" + settings.cert_file +
                     "' is not a PEM certificate chain (" + ec.message() + ")"};
    }
    context->use_private_key_file(settings.key_file, ssl::context::pem, ec);
    // OpenSSL checks the key against the certificate as it loads it.
    const bool mismatch =
        ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    if (ec && !mismatch) {
        return Error{"service.tls.key: '" + settings.key_file + "' is not a PEM private key (" +
                     ec.message() + ")"};
    }
    if (mismatch || SSL_CTX_check_private_key(native) != 1) {
        return Error{"service.tls.key: '" + settings.key_file +
                     "' is not the key of the certificate in '" + settings.cert_file + "'"};
    }
    return context;
}

}  // namespace

Result<std::unique_ptr<TlsCertificates>> TlsCertificates::load(TlsSettings settings) {
    std::unique_ptr<TlsCertificates> certificates(new TlsCertificates(std::move(settings)));
    if (Result<void> loaded = certificates->reload(); !loaded) return loaded.error();
    return certificates;
}

Result<void> TlsCertificates::reload() {
    Result<std::shared_ptr<ssl::context>> context = make_context(settings_);
    if (!context) return context.error();
    context_ = std::move(*context);
    fingerprint_ = sha256_fingerprint(context_->native_handle());
    return {};
}

}  // namespace assistd::server
