// A credential store in a temporary data directory with a master key, for security tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "security/credential_issuer.h"
#include "security/key_sealer.h"
#include "store/credential_store.h"
#include "support/temp_dir.h"

namespace assistd::security {

class CredentialFixture : public ::testing::Test {
  protected:
    static constexpr int64_t kNow = 1'800'000'000;

    void SetUp() override {
        auto opened = store::CredentialStore::open(dir.file("data"));
        ASSERT_TRUE(opened) << opened.error().message;
        store = std::make_unique<store::CredentialStore>(std::move(*opened));
        auto loaded = load_master_key({.file = dir.file("master.key")});
        ASSERT_TRUE(loaded) << loaded.error().message;
        sealer = std::move(*loaded);
        issuer = std::make_unique<CredentialIssuer>(*store, *sealer);
    }

    IssuedCredential api_key(const std::string& scopes, std::vector<std::string> models = {}) {
        auto issued = issuer->create_api_key(
            {.name = "test", .scopes = *ScopeSet::parse(scopes), .models = std::move(models)}, kNow);
        EXPECT_TRUE(issued) << issued.error().message;
        return *issued;
    }

    IssuedCredential secret_pair(const std::string& scopes) {
        auto issued =
            issuer->create_secret_pair({.name = "test", .scopes = *ScopeSet::parse(scopes)}, kNow);
        EXPECT_TRUE(issued) << issued.error().message;
        return *issued;
    }

    testing::TempDir dir;
    std::unique_ptr<store::CredentialStore> store;
    std::unique_ptr<KeySealer> sealer;
    std::unique_ptr<CredentialIssuer> issuer;
};

}  // namespace assistd::security
