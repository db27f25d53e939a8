#include "security/authenticator.h"

#include <gtest/gtest.h>

#include "credential_fixture.h"
#include "security/request_signature.h"

namespace assistd::security {
namespace {

class AuthenticatorTest : public CredentialFixture {
  protected:
    void SetUp() override {
        CredentialFixture::SetUp();
        auth = std::make_unique<Authenticator>(*store, *sealer, AuthPolicy{});
    }

    Result<Principal> bearer(const std::string& token, int64_t now = kNow) {
        const std::string header = "Bearer " + token;
        return auth->authenticate(
            {.authorization = header, .method = "GET", .target = "/v1/models"}, now);
    }

    struct Signed {
        std::string authorization{}, timestamp{}, nonce{},
            method = "POST", target = "/v1/chat/completions?a=1", body = R"({"model":"m"})";
    };
    Signed sign(const IssuedCredential& pair, int64_t timestamp, std::string nonce) {
        Signed request{.timestamp = std::to_string(timestamp), .nonce = std::move(nonce)};
        request.authorization = signature_authorization(
            pair.record.id, sign_request(pair.secret, {request.method, request.target, request.body,
                                                       request.timestamp, request.nonce}));
        return request;
    }
    Result<Principal> send(const Signed& request, int64_t now = kNow) {
        return auth->authenticate({request.authorization, request.timestamp, request.nonce,
                                   request.method, request.target, request.body},
                                  now);
    }

    std::unique_ptr<Authenticator> auth;
};

TEST_F(AuthenticatorTest, ABearerKeyIsItsPrincipalAndNothingElseIs) {
    const IssuedCredential key = api_key("model:invoke", {"m1"});
    ASSERT_TRUE(key.secret.starts_with("sk-ak_"));
    auto principal = bearer(key.secret);
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(principal->credential_id, key.record.id);
    EXPECT_TRUE(principal->scopes.has(Scope::ModelInvoke));
    EXPECT_EQ(principal->models, std::vector<std::string>{"m1"});

    std::string wrong = key.secret;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    const std::string unknown_id =
        "sk-ak_0000000000000000." + key.secret.substr(key.secret.find('.') + 1);
    for (const std::string& token :
         {wrong, unknown_id, std::string("sk-nodot"), std::string("unused"), std::string("")}) {
        EXPECT_FALSE(bearer(token)) << token;
    }
    EXPECT_FALSE(auth->authenticate({.method = "GET", .target = "/"}, kNow));
    EXPECT_FALSE(
        auth->authenticate({.authorization = "Basic eDp5", .method = "GET", .target = "/"}, kNow));
}

TEST_F(AuthenticatorTest, TheBearerSchemeNameIsCaseInsensitive) {
    const IssuedCredential key = api_key("model:invoke");
    for (const char* scheme : {"bearer ", "BEARER ", "bEaReR "}) {
        auto principal = auth->authenticate(
            {.authorization = scheme + key.secret, .method = "GET", .target = "/v1/models"}, kNow);
        ASSERT_TRUE(principal) << scheme << ": " << principal.error().message;
        EXPECT_EQ(principal->credential_id, key.record.id);
    }
    EXPECT_FALSE(auth->authenticate(
        {.authorization = "Bearers " + key.secret, .method = "GET", .target = "/v1/models"}, kNow));
}

TEST_F(AuthenticatorTest, RevokedAndExpiredKeysAreRefused) {
    const IssuedCredential key = api_key("model:invoke");
    ASSERT_TRUE(*store->revoke(key.record.id, kNow));
    EXPECT_FALSE(bearer(key.secret));

    auto expiring = issuer->create_api_key(
        {.name = "short", .scopes = ScopeSet::all(), .expires_at = kNow + 60}, kNow);
    EXPECT_TRUE(bearer(expiring->secret, kNow + 59));
    EXPECT_FALSE(bearer(expiring->secret, kNow + 60));
}

TEST_F(AuthenticatorTest, RotationKeepsTheOldKeyForTheGracePeriodOnly) {
    const IssuedCredential old_key = api_key("model:invoke");
    auto successor = issuer->rotate(old_key.record.id, 3600, kNow);
    ASSERT_TRUE(successor) << successor.error().message;
    EXPECT_EQ(successor->record.parent_id, old_key.record.id);
    EXPECT_EQ(successor->record.scopes, old_key.record.scopes);
    EXPECT_TRUE(bearer(old_key.secret, kNow + 3599));
    EXPECT_FALSE(bearer(old_key.secret, kNow + 3600));
    EXPECT_TRUE(bearer(successor->secret, kNow + 3600));
    EXPECT_FALSE(issuer->rotate("ak_missing", 3600, kNow));
}

TEST_F(AuthenticatorTest, TheRotationPolicyRefusesKeysOlderThanItAllows) {
    Authenticator strict(*store, *sealer, AuthPolicy{.rotation_days = 30});
    const IssuedCredential key = api_key("model:invoke");
    const std::string header = "Bearer " + key.secret;
    const PresentedRequest request{
        .authorization = header, .method = "GET", .target = "/v1/models"};
    EXPECT_TRUE(strict.authenticate(request, kNow + 29 * 86'400));
    auto refused = strict.authenticate(request, kNow + 30 * 86'400);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("rotation_days"), std::string::npos);
}

TEST_F(AuthenticatorTest, StatusWarnsAheadOfTheRotationPolicyAndDisablesAtIt) {
    Authenticator strict(*store, *sealer, AuthPolicy{.rotation_days = 30});
    const store::CredentialRecord key = api_key("model:invoke").record;
    EXPECT_EQ(strict.status(key, kNow), "active");
    EXPECT_EQ(strict.status(key, kNow + 22 * 86'400), "active");
    EXPECT_EQ(strict.status(key, kNow + 23 * 86'400), "expires in 7 days");
    EXPECT_EQ(strict.status(key, kNow + 29 * 86'400 + 1), "expires in 1 day");
    EXPECT_EQ(strict.status(key, kNow + 30 * 86'400), "expired");
    EXPECT_EQ(auth->status(key, kNow + 3650 * 86'400), "active");  // no policy, no expiry

    // An explicit expiry before the policy's comes first.
    store::CredentialRecord short_lived = key;
    short_lived.expires_at = kNow + 2 * 86'400;
    EXPECT_EQ(strict.status(short_lived, kNow), "expires in 2 days");
    short_lived.revoked_at = kNow;
    EXPECT_EQ(strict.status(short_lived, kNow), "revoked");
}

TEST_F(AuthenticatorTest, ASignedRequestIsAcceptedOnceWithinTheSkew) {
    const IssuedCredential pair = secret_pair("model:invoke");
    ASSERT_TRUE(pair.record.id.starts_with("sid_"));
    auto accepted = send(sign(pair, kNow, "n1"));
    ASSERT_TRUE(accepted) << accepted.error().message;
    EXPECT_EQ(accepted->credential_id, pair.record.id);

    auto replayed = send(sign(pair, kNow, "n1"));
    ASSERT_FALSE(replayed);
    EXPECT_NE(replayed.error().message.find("replay"), std::string::npos);

    EXPECT_TRUE(send(sign(pair, kNow - 300, "n2")));
    EXPECT_TRUE(send(sign(pair, kNow + 300, "n3")));
    EXPECT_FALSE(send(sign(pair, kNow - 301, "n4")));
    EXPECT_FALSE(send(sign(pair, kNow + 301, "n5")));
}

TEST_F(AuthenticatorTest, ATamperedOrWronglySignedRequestIsRefused) {
    const IssuedCredential pair = secret_pair("model:invoke");
    const IssuedCredential other = secret_pair("model:invoke");

    Signed body = sign(pair, kNow, "b");
    body.body = R"({"model":"m2"})";
    Signed path = sign(pair, kNow, "p");
    path.target = "/v1/completions?a=1";
    Signed query = sign(pair, kNow, "q");
    query.target = "/v1/chat/completions?a=2";
    Signed method = sign(pair, kNow, "m");
    method.method = "PUT";
    Signed wrong_key = sign(other, kNow, "w");
    wrong_key.authorization = signature_authorization(
        pair.record.id, parse_signature_authorization(wrong_key.authorization)->signature);
    Signed no_nonce = sign(pair, kNow, "");
    Signed bad_time = sign(pair, kNow, "t");
    bad_time.timestamp = "soon";
    for (const Signed& request : {body, path, query, method, wrong_key, no_nonce, bad_time}) {
        EXPECT_FALSE(send(request))
            << request.method << " " << request.target << " " << request.body;
    }
    // A bearer key's id cannot be used to sign, nor a pair's id as a bearer key.
    const IssuedCredential key = api_key("model:invoke");
    Signed as_pair = sign(pair, kNow, "x");
    as_pair.authorization = signature_authorization(key.record.id, "00");
    EXPECT_FALSE(send(as_pair));
    EXPECT_FALSE(bearer("sk-" + pair.record.id + "." + pair.secret));
}

TEST_F(AuthenticatorTest, SessionsAreNoWiderThanTheirIssuerAndDieWithIt) {
    const IssuedCredential key = api_key("model:invoke,metrics:read", {"m1"});
    const Principal issuer_principal = *bearer(key.secret);
    EXPECT_FALSE(issuer->issue_session(issuer_principal, *ScopeSet::parse("admin:keys"), 60, kNow));
    EXPECT_FALSE(issuer->issue_session(issuer_principal, *ScopeSet::parse("model:invoke"),
                                       kMaxSessionSeconds + 1, kNow));
    EXPECT_FALSE(
        issuer->issue_session(issuer_principal, *ScopeSet::parse("model:invoke"), 0, kNow));

    auto session = issuer->issue_session(issuer_principal, *ScopeSet::parse("model:invoke"),
                                         kMaxSessionSeconds, kNow);
    ASSERT_TRUE(session) << session.error().message;
    ASSERT_TRUE(session->secret.starts_with("st-st_"));
    auto principal = bearer(session->secret);
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_FALSE(principal->scopes.has(Scope::MetricsRead));
    EXPECT_EQ(principal->models, std::vector<std::string>{"m1"});
    EXPECT_EQ(principal->root_id, key.record.id);
    EXPECT_FALSE(bearer(session->secret, kNow + kMaxSessionSeconds));
    // An st- token is not an sk- key, even with the right secret.
    EXPECT_FALSE(bearer("sk-" + session->secret.substr(3)));

    ASSERT_TRUE(*store->revoke(key.record.id, kNow));
    EXPECT_FALSE(bearer(session->secret));
}

TEST(Authorize, ScopeAndModelChecksNameWhatIsMissing) {
    Principal principal{
        .credential_id = "ak_1", .scopes = *ScopeSet::parse("model:invoke"), .models = {"m1"}};
    EXPECT_TRUE(authorize(principal, Scope::ModelInvoke));
    auto denied = authorize(principal, Scope::AdminKeys);
    ASSERT_FALSE(denied);
    EXPECT_NE(denied.error().message.find("admin:keys"), std::string::npos);
    EXPECT_TRUE(authorize_model(principal, "m1"));
    EXPECT_FALSE(authorize_model(principal, "m2"));
    principal.models.clear();
    EXPECT_TRUE(authorize_model(principal, "m2"));
}

}  // namespace
}  // namespace assistd::security
