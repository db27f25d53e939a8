// create_backup → verify_backup → restore_backup gives back the same state: databases as one
// consistent snapshot even while a writer holds them open, logs cut at whole lines, model files
// only when asked for, files kept outside the data directory under restored/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/backup/backup_names.h"
#include "store/backup/backup_reader.h"
#include "store/backup/backup_retention.h"
#include "store/backup/backup_writer.h"
#include "store/database.h"
#include "support/temp_dir.h"

namespace assistd::store {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

class BackupRoundTrip : public ::testing::Test {
  protected:
    BackupRoundTrip() {
        write(data_ / "master.key", "00112233445566778899aabbccddeeff\n");
        write(data_ / "audit.log", "{\"n\":1}\n{\"n\":2}\n{\"half-written");
        write(data_ / "models/qwen/1/manifest.json", "{\"sha256\":\"abc\"}\n");
        write(data_ / "models/qwen/1/model.gguf", std::string(100'000, 'w'));
        write(dir_.path() / "etc/assistd.yaml", "service:\n  port: 9000\n");
    }

    BackupPlan plan(bool with_models = false) const {
        return {
            .data_dir = data_.string(),
            .extra_files = {{"config/assistd.yaml", (dir_.path() / "etc/assistd.yaml").string()}},
            .excluded = {(data_ / "backups").string()},
            .with_models = with_models,
            .backup_dir = (data_ / "backups").string(),
            .now = 1'790'000'000,
            .host = "node-1"};
    }

    testing::TempDir dir_;
    fs::path data_ = dir_.path() / "data";
};

TEST_F(BackupRoundTrip, RestoresTheSameState) {
    // A live database in WAL mode, open (and holding a committed row only in its -wal) meanwhile.
    Result<Database> db = Database::open((data_ / "assistd.db").string(),
                                         {"CREATE TABLE keys (id TEXT PRIMARY KEY, name TEXT)"});
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->execute("INSERT INTO keys VALUES ('ak_1', 'admin'), ('ak_2', '密钥')"));

    Result<CreatedBackup> created = create_backup(plan());
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(fs::path(created->path).filename(), backup_file_name(1'790'000'000));
    EXPECT_EQ(fs::status(created->path).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    Result<BackupManifest> verified = verify_backup(created->path);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_EQ(verified->host, "node-1");
    EXPECT_EQ(verified->entries.size(), created->files);

    const fs::path target = dir_.path() / "restored-node";
    Result<BackupManifest> restored = restore_backup(created->path, target.string());
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_FALSE(fs::exists(target / "assistd.db-wal"));
    Result<Database> copy = Database::open((target / "assistd.db").string(),
                                           {"CREATE TABLE keys (id TEXT PRIMARY KEY, name TEXT)"});
    ASSERT_TRUE(copy);
    Result<std::vector<Row>> rows = copy->query("SELECT id, name FROM keys ORDER BY id");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ(text_of((*rows)[1][1]), "密钥");
    EXPECT_EQ(read(target / "master.key"), read(data_ / "master.key"));
    EXPECT_EQ(read(target / "audit.log"), "{\"n\":1}\n{\"n\":2}\n");
    EXPECT_EQ(read(target / "models/qwen/1/manifest.json"), "{\"sha256\":\"abc\"}\n");
    EXPECT_FALSE(fs::exists(target / "models/qwen/1/model.gguf"));
    EXPECT_EQ(read(target / "restored/config/assistd.yaml"), "service:\n  port: 9000\n");
    EXPECT_FALSE(fs::exists(target / "backups")) << "the backup directory backed itself up";
}

TEST_F(BackupRoundTrip, IncludesModelFilesWhenAsked) {
    Result<CreatedBackup> created = create_backup(plan(/*with_models=*/true));
    ASSERT_TRUE(created) << created.error().message;
    const fs::path target = dir_.path() / "with-models";
    ASSERT_TRUE(restore_backup(created->path, target.string()));
    EXPECT_EQ(read(target / "models/qwen/1/model.gguf"), std::string(100'000, 'w'));
}

TEST_F(BackupRoundTrip, ACorruptedArchiveIsRefused) {
    Result<CreatedBackup> created = create_backup(plan(/*with_models=*/true));
    ASSERT_TRUE(created);
    std::string bytes = read(created->path);
    bytes[bytes.size() / 2] ^= 0x5a;
    write(created->path, bytes);
    EXPECT_FALSE(verify_backup(created->path));
    const fs::path target = dir_.path() / "from-corrupt";
    EXPECT_FALSE(restore_backup(created->path, target.string()));
    EXPECT_FALSE(fs::exists(target));
}

TEST_F(BackupRoundTrip, TwoBackupsInOneSecondGetTwoNames) {
    Result<CreatedBackup> first = create_backup(plan());
    Result<CreatedBackup> second = create_backup(plan());
    ASSERT_TRUE(first && second);
    EXPECT_NE(first->path, second->path);
    Result<std::vector<BackupFile>> listed = list_backups((data_ / "backups").string());
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].path, first->path);
    EXPECT_EQ((*listed)[1].path, second->path);
}

TEST(BackupNames, CarryTheirTime) {
    EXPECT_EQ(backup_file_name(0), "assistd-backup-19700101T000000Z.tar.zst");
    EXPECT_EQ(backup_stamp_of("assistd-backup-20261129T101500Z.tar.zst"),
              (BackupStamp{1'795'947'300, 1}));
    EXPECT_EQ(backup_stamp_of("assistd-backup-20261129T101500Z-2.tar.zst"),
              (BackupStamp{1'795'947'300, 2}));
    EXPECT_LT(*backup_stamp_of("assistd-backup-20261129T101500Z.tar.zst"),
              *backup_stamp_of("assistd-backup-20261129T101500Z-10.tar.zst"));
    EXPECT_EQ(backup_stamp_of("assistd-backup-20261129T101500Z.tar.zst.partial"), std::nullopt);
    EXPECT_EQ(backup_stamp_of("notes.txt"), std::nullopt);
}

TEST(BackupRetention, PruneKeepsTheNewestAndTouchesNothingElse) {
    testing::TempDir dir;
    for (int64_t day : {3, 1, 4, 2, 5}) {
        write(dir.path() / backup_file_name(1'790'000'000 + day * 86'400), "x");
    }
    write(dir.path() / "operator-notes.txt", "mine");
    Result<std::vector<BackupFile>> removed = prune_backups(dir.path().string(), 2);
    ASSERT_TRUE(removed);
    ASSERT_EQ(removed->size(), 3u);
    EXPECT_EQ((*removed)[0].stamp.created_at, 1'790'000'000 + 86'400);
    Result<std::vector<BackupFile>> left = list_backups(dir.path().string());
    ASSERT_TRUE(left);
    ASSERT_EQ(left->size(), 2u);
    EXPECT_EQ((*left)[0].stamp.created_at, 1'790'000'000 + 4 * 86'400);
    EXPECT_EQ((*left)[1].stamp.created_at, 1'790'000'000 + 5 * 86'400);
    EXPECT_TRUE(fs::exists(dir.path() / "operator-notes.txt"));
}

}  // namespace
}  // namespace assistd::store
