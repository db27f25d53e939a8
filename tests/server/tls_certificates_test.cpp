#include "server/tls_certificates.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "support/temp_dir.h"

namespace assistd::server {
namespace {

using testing::TempDir;

// A fresh P-256 key and a self-signed certificate for it, written as PEM files.
void write_self_signed(const std::string& cert_file, const std::string& key_file) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    ASSERT_TRUE(key);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86'400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
    FILE* out = std::fopen(cert_file.c_str(), "w");
    PEM_write_X509(out, cert.get());
    std::fclose(out);
    out = std::fopen(key_file.c_str(), "w");
    PEM_write_PrivateKey(out, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(out);
}

std::string load_error(const TlsSettings& settings) {
    auto loaded = TlsCertificates::load(settings);
    return loaded ? "" : loaded.error().message;
}

TEST(TlsCertificates, LoadsAPairAndReportsItsFingerprint) {
    TempDir dir;
    write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
    auto loaded = TlsCertificates::load({dir.file("cert.pem"), dir.file("key.pem"), "1.3"});
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ((*loaded)->fingerprint().size(), 32 * 3 - 1);  // "AB:CD:..." of 32 bytes
    EXPECT_EQ(SSL_CTX_get_min_proto_version((*loaded)->current()->native_handle()), TLS1_3_VERSION);
}

TEST(TlsCertificates, MinVersionOneTwoAdmitsTls12) {
    TempDir dir;
    write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
    auto loaded = TlsCertificates::load({dir.file("cert.pem"), dir.file("key.pem"), "1.2"});
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(SSL_CTX_get_min_proto_version((*loaded)->current()->native_handle()), TLS1_2_VERSION);
}

TEST(TlsCertificates, StartupErrorsNameTheKeyAndTheFile) {
    TempDir dir;
    write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
    write_self_signed(dir.file("other.pem"), dir.file("other.key"));

    EXPECT_NE(
        load_error({dir.file("cert.pem"), "", "1.3"})
            .find("service.tls.key is empty: service.tls.cert and service.tls.key go together"),
        std::string::npos);
    EXPECT_NE(load_error({dir.file("missing.pem"), dir.file("key.pem"), "1.3"})
                  .find("service.tls.cert: cannot read '" + dir.file("missing.pem") +
                        "': No such file or directory"),
              std::string::npos);
    if (::geteuid() != 0) {  // root reads a mode-000 file anyway
        ::chmod(dir.file("key.pem").c_str(), 0);
        EXPECT_NE(load_error({dir.file("cert.pem"), dir.file("key.pem"), "1.3"})
                      .find("service.tls.key: cannot read"),
                  std::string::npos);
        ::chmod(dir.file("key.pem").c_str(), 0600);
    }
    std::ofstream(dir.file("garbage.pem")) << "not a certificate\n";
    EXPECT_NE(load_error({dir.file("garbage.pem"), dir.file("key.pem"), "1.3"})
                  .find("service.tls.cert: '" + dir.file("garbage.pem") +
                        "' is not a PEM certificate chain"),
              std::string::npos);
    EXPECT_NE(load_error({dir.file("cert.pem"), dir.file("garbage.pem"), "1.3"})
                  .find("is not a PEM private key"),
              std::string::npos);
    EXPECT_NE(load_error({dir.file("cert.pem"), dir.file("other.key"), "1.3"})
                  .find("service.tls.key: '" + dir.file("other.key") +
                        "' is not the key of the certificate in '" + dir.file("cert.pem") + "'"),
              std::string::npos);
}

TEST(TlsCertificates, ReloadSwapsTheContextAndABadPairKeepsTheOldOne) {
    TempDir dir;
    write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
    auto loaded = TlsCertificates::load({dir.file("cert.pem"), dir.file("key.pem"), "1.3"});
    ASSERT_TRUE(loaded) << loaded.error().message;
    TlsCertificates& certificates = **loaded;
    const auto first_context = certificates.current();
    const std::string first = certificates.fingerprint();

    write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
    ASSERT_TRUE(certificates.reload());
    const std::string second = certificates.fingerprint();
    EXPECT_NE(second, first);
    EXPECT_NE(certificates.current(), first_context);
    // A connection still holding the first context keeps a working one.
    EXPECT_NE(SSL_CTX_get0_certificate(first_context->native_handle()), nullptr);

    std::ofstream(dir.file("cert.pem")) << "half-written file\n";
    Result<void> bad = certificates.reload();
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("is not a PEM certificate chain"), std::string::npos);
    EXPECT_EQ(certificates.fingerprint(), second);
}

}  // namespace
}  // namespace assistd::server
