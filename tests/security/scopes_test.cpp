#include "security/scopes.h"

#include <gtest/gtest.h>

namespace assistd::security {
namespace {

TEST(Scopes, ParseAndPrintRoundTrip) {
    auto scopes = ScopeSet::parse("metrics:read, model:invoke");
    ASSERT_TRUE(scopes);
    EXPECT_TRUE(scopes->has(Scope::ModelInvoke));
    EXPECT_TRUE(scopes->has(Scope::MetricsRead));
    EXPECT_FALSE(scopes->has(Scope::AdminKeys));
    EXPECT_EQ(scopes->text(), "model:invoke,metrics:read");
    EXPECT_EQ(*ScopeSet::parse(scopes->text()), *scopes);
}

TEST(Scopes, AllIsEveryScopeAndNothingImpliesAnother) {
    const ScopeSet all = *ScopeSet::parse("all");
    EXPECT_EQ(all, ScopeSet::all());
    for (Scope scope : {Scope::ModelInvoke, Scope::AudioInvoke, Scope::LogsWrite, Scope::MetricsRead,
                        Scope::AdminKeys, Scope::AdminModels, Scope::AdminBackup}) {
        EXPECT_TRUE(all.has(scope));
        const ScopeSet one = *ScopeSet::parse(scope_name(scope));
        EXPECT_EQ(one.text(), scope_name(scope));
    }
    EXPECT_FALSE(ScopeSet::parse("admin:keys")->has(Scope::ModelInvoke));
}

TEST(Scopes, UnknownNamesAreErrorsThatListTheKnownOnes) {
    auto bad = ScopeSet::parse("model:invoke,admin:everything");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("admin:everything"), std::string::npos);
    EXPECT_NE(bad.error().message.find("metrics:read"), std::string::npos);
}

TEST(Scopes, WithinIsSubset) {
    const ScopeSet small = *ScopeSet::parse("model:invoke");
    const ScopeSet big = *ScopeSet::parse("model:invoke,audio:invoke");
    EXPECT_TRUE(small.within(big));
    EXPECT_FALSE(big.within(small));
    EXPECT_TRUE(ScopeSet().within(small));
}

}  // namespace
}  // namespace assistd::security
