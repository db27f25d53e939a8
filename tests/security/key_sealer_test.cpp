#include "security/key_sealer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/temp_dir.h"

namespace assistd::security {
namespace {

using testing::TempDir;

const std::string kHexKey(64, 'a');

TEST(KeySealer, SealedSecretsOpenOnlyUnderTheSameKeyAndUntampered) {
    auto sealer = load_master_key({.environment = kHexKey});
    ASSERT_TRUE(sealer) << sealer.error().message;
    const std::string box = (*sealer)->seal("the secret key");
    EXPECT_EQ(box.find("the secret key"), std::string::npos);
    EXPECT_EQ(*(*sealer)->open(box), "the secret key");
    EXPECT_NE((*sealer)->seal("the secret key"), box);  // fresh nonce each time

    std::string tampered = box;
    tampered.back() ^= 1;
    EXPECT_FALSE((*sealer)->open(tampered));
    EXPECT_FALSE((*sealer)->open(box.substr(0, 10)));
    auto other = load_master_key({.environment = std::string(64, 'b')});
    EXPECT_FALSE((*other)->open(box));
}

TEST(KeySealer, AMissingKeyFileIsCreatedOwnerOnlyAndReused) {
    TempDir dir;
    const std::string path = dir.file("master.key");
    auto first = load_master_key({.file = path});
    ASSERT_TRUE(first) << first.error().message;
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    auto second = load_master_key({.file = path});
    ASSERT_TRUE(second);
    EXPECT_EQ(*(*second)->open((*first)->seal("x")), "x");
}

TEST(KeySealer, TheEnvironmentWinsOverTheFile) {
    TempDir dir;
    const std::string path = dir.file("master.key");
    auto from_file = load_master_key({.file = path});
    auto from_env = load_master_key({.file = path, .environment = kHexKey});
    EXPECT_FALSE((*from_env)->open((*from_file)->seal("x")));
}

TEST(KeySealer, AMalformedKeyIsAnErrorNamingItsSource) {
    auto short_key = load_master_key({.environment = "abcd"});
    ASSERT_FALSE(short_key);
    EXPECT_NE(short_key.error().message.find("ASSISTD_MASTER_KEY"), std::string::npos);
    TempDir dir;
    std::ofstream(dir.file("bad.key")) << "not hex at all, not hex at all, not hex at all, not hex!!";
    auto bad = load_master_key({.file = dir.file("bad.key")});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("bad.key"), std::string::npos);
}

}  // namespace
}  // namespace assistd::security
