#include "store/credential_store.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "support/temp_dir.h"

namespace assistd::store {
namespace {

using testing::TempDir;

CredentialRecord sample(std::string id, int64_t created_at = 100) {
    return {.id = std::move(id),
            .kind = "api_key",
            .name = "ci",
            .salt = std::string("salt\0bytes", 10),
            .secret_hash = std::string(32, '\x01'),
            .scopes = "model:invoke",
            .models = "a,b",
            .requests_per_minute = 60,
            .created_at = created_at,
            .expires_at = 1000};
}

TEST(CredentialStore, KeepsARecordExactlyAcrossReopening) {
    TempDir dir;
    {
        auto store = CredentialStore::open(dir.file("data"));
        ASSERT_TRUE(store) << store.error().message;
        ASSERT_TRUE(store->insert(sample("ak_1")));
    }
    auto store = CredentialStore::open(dir.file("data"));
    ASSERT_TRUE(store);
    auto found = store->find("ak_1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, sample("ak_1"));
    EXPECT_FALSE(*store->find("ak_2"));
}

TEST(CredentialStore, CreatesAnOwnerOnlyDataDirectory) {
    TempDir dir;
    ASSERT_TRUE(CredentialStore::open(dir.file("data/nested")));
    struct stat info {};
    ASSERT_EQ(stat(dir.file("data/nested").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700);
}

TEST(CredentialStore, RefusesADuplicateId) {
    TempDir dir;
    auto store = CredentialStore::open(dir.path().string());
    ASSERT_TRUE(store->insert(sample("ak_1")));
    EXPECT_FALSE(store->insert(sample("ak_1")));
}

TEST(CredentialStore, RevokesOnce) {
    TempDir dir;
    auto store = CredentialStore::open(dir.path().string());
    ASSERT_TRUE(store->insert(sample("ak_1")));
    EXPECT_TRUE(*store->revoke("ak_1", 500));
    EXPECT_FALSE(*store->revoke("ak_1", 600));
    EXPECT_FALSE(*store->revoke("nope", 600));
    EXPECT_EQ((*store->find("ak_1"))->revoked_at, 500);
}

TEST(CredentialStore, RotationShortensTheOldKeyAndAddsTheSuccessorTogether) {
    TempDir dir;
    auto store = CredentialStore::open(dir.path().string());
    ASSERT_TRUE(store->insert(sample("ak_1")));
    ASSERT_TRUE(store->rotate("ak_1", 700, sample("ak_2", 650)));
    EXPECT_EQ((*store->find("ak_1"))->expires_at, 700);
    EXPECT_TRUE(*store->find("ak_2"));
    // A grace period never lengthens a key's life.
    ASSERT_TRUE(store->rotate("ak_2", 5000, sample("ak_3")));
    EXPECT_EQ((*store->find("ak_2"))->expires_at, 1000);
}

TEST(CredentialStore, AFailedRotationLeavesNothingBehind) {
    TempDir dir;
    auto store = CredentialStore::open(dir.path().string());
    ASSERT_TRUE(store->insert(sample("ak_1")));
    // The successor's id collides, so the whole transaction rolls back.
    EXPECT_FALSE(store->rotate("ak_1", 700, sample("ak_1")));
    EXPECT_EQ((*store->find("ak_1"))->expires_at, 1000);
    EXPECT_FALSE(store->rotate("ak_missing", 700, sample("ak_9")));
    EXPECT_FALSE(*store->find("ak_9"));
}

TEST(CredentialStore, ListsLongLivedCredentialsOldestFirst) {
    TempDir dir;
    auto store = CredentialStore::open(dir.path().string());
    ASSERT_TRUE(store->insert(sample("ak_b", 200)));
    ASSERT_TRUE(store->insert(sample("ak_a", 100)));
    CredentialRecord session = sample("st_1", 50);
    session.kind = "session";
    ASSERT_TRUE(store->insert(session));
    auto listed = store->list();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, "ak_a");
    EXPECT_EQ((*listed)[1].id, "ak_b");
}

TEST(Database, UsesWalAndAnOwnerOnlyFileAtTheNewestSchema) {
    TempDir dir;
    auto db = Database::open(dir.file("x.db"), credential_migrations());
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(db->schema_version(), static_cast<int>(credential_migrations().size()));
    auto mode = db->query("PRAGMA journal_mode");
    ASSERT_TRUE(mode);
    EXPECT_EQ(text_of((*mode)[0][0]), "wal");
    struct stat info {};
    ASSERT_EQ(stat(dir.file("x.db").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST(Database, MigratesAnOlderSchemaForwardAndRefusesANewerOne) {
    TempDir dir;
    ASSERT_TRUE(Database::open(dir.file("x.db"), {"CREATE TABLE t (a INTEGER)"}));
    auto grown = Database::open(dir.file("x.db"),
                                {"CREATE TABLE t (a INTEGER)", "ALTER TABLE t ADD COLUMN b TEXT"});
    ASSERT_TRUE(grown) << grown.error().message;
    EXPECT_EQ(grown->schema_version(), 2);
    EXPECT_TRUE(grown->execute("INSERT INTO t (a, b) VALUES (?1, ?2)", {int64_t{1}, "x"}));
    auto older = Database::open(dir.file("x.db"), {"CREATE TABLE t (a INTEGER)"});
    ASSERT_FALSE(older);
    EXPECT_NE(older.error().message.find("newer"), std::string::npos);
}

TEST(Database, ATransactionThatFailsIsRolledBack) {
    TempDir dir;
    auto db = Database::open(dir.file("x.db"), {"CREATE TABLE t (a INTEGER)"});
    ASSERT_TRUE(db);
    auto failed = db->transaction([&]() -> Result<void> {
        if (auto inserted = db->execute("INSERT INTO t VALUES (1)"); !inserted) return inserted;
        return Error{"changed my mind"};
    });
    EXPECT_FALSE(failed);
    EXPECT_TRUE(db->query("SELECT a FROM t")->empty());
}

}  // namespace
}  // namespace assistd::store
