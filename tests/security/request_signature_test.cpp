#include "security/request_signature.h"

#include <gtest/gtest.h>

namespace assistd::security {
namespace {

TEST(RequestSignature, CanonicalQuerySortsAndNormalisesEscaping) {
    EXPECT_EQ(canonical_query(""), "");
    EXPECT_EQ(canonical_query("b=2&a=1"), "a=1&b=2");
    EXPECT_EQ(canonical_query("q=x y&p=%7e%2F"), "p=~%2F&q=x%20y");
    EXPECT_EQ(canonical_query("flag&a=1&&"), "a=1&flag=");
    EXPECT_EQ(canonical_query("a=2&a=1"), "a=1&a=2");
}

TEST(RequestSignature, TheStringToSignBindsEveryPart) {
    const SignedParts parts{"post", "/v1/x?b=2&a=1", "{}", "1700000000", "n1"};
    const std::string text = string_to_sign(parts);
    EXPECT_EQ(text,
              "ASSISTD-HMAC-SHA256\nPOST\n/v1/x\na=1&b=2\n1700000000\nn1\n"
              "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    const std::string signature = sign_request("key", parts);
    EXPECT_EQ(signature.size(), 64u);
    EXPECT_EQ(sign_request("key", {"POST", "/v1/x?a=1&b=2", "{}", "1700000000", "n1"}), signature);
    EXPECT_NE(sign_request("key", {"POST", "/v1/y?a=1&b=2", "{}", "1700000000", "n1"}), signature);
    EXPECT_NE(sign_request("key", {"POST", "/v1/x?a=1&b=3", "{}", "1700000000", "n1"}), signature);
    EXPECT_NE(sign_request("key", {"POST", "/v1/x?a=1&b=2", "{} ", "1700000000", "n1"}), signature);
    EXPECT_NE(sign_request("key", {"POST", "/v1/x?a=1&b=2", "{}", "1700000001", "n1"}), signature);
    EXPECT_NE(sign_request("key", {"POST", "/v1/x?a=1&b=2", "{}", "1700000000", "n2"}), signature);
    EXPECT_NE(sign_request("kez", parts), signature);
}

TEST(RequestSignature, ParsesTheAuthorizationItWrites) {
    auto parsed = parse_signature_authorization(signature_authorization("sid_1", "abc"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->secret_id, "sid_1");
    EXPECT_EQ(parsed->signature, "abc");
    EXPECT_FALSE(parse_signature_authorization("ASSISTD-HMAC-SHA256 Credential=sid_1"));
    EXPECT_FALSE(parse_signature_authorization("Basic dXNlcjpwYXNz"));
    EXPECT_FALSE(parse_signature_authorization("ASSISTD-HMAC-SHA256X Credential=a, Signature=b"));
}

}  // namespace
}  // namespace assistd::security
