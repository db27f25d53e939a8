// No secret is ever written to the data directory in plain text: the database, its WAL and
// everything else there are read back byte by byte and searched for each secret.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "credential_fixture.h"
#include "security/secret_text.h"

namespace assistd::security {
namespace {

using SecretsAtRest = CredentialFixture;

std::string bytes_under(const std::filesystem::path& dir) {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream file(entry.path(), std::ios::binary);
        std::stringstream bytes;
        bytes << file.rdbuf();
        all += bytes.str();
    }
    return all;
}

TEST_F(SecretsAtRest, NoSecretAppearsInTheDataDirectory) {
    const IssuedCredential key = api_key("model:invoke");
    const IssuedCredential pair = secret_pair("model:invoke");
    auto successor = issuer->rotate(key.record.id, 60, kNow);
    auto principal = principal_of(key.record);
    auto session = issuer->issue_session(*principal, principal->scopes, 60, kNow);
    ASSERT_TRUE(successor && session);

    const std::string stored = bytes_under(dir.path() / "data");
    ASSERT_NE(stored.find(key.record.id), std::string::npos) << "the ids are stored";
    for (const std::string& full : {key.secret, pair.secret, successor->secret, session->secret}) {
        const std::string secret = full.substr(full.find('.') + 1);  // the part after the id
        EXPECT_EQ(stored.find(secret), std::string::npos) << "hex secret at rest";
        EXPECT_EQ(stored.find(*from_hex(secret)), std::string::npos) << "raw secret at rest";
    }
}

}  // namespace
}  // namespace assistd::security
