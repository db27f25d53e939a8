// A crafted archive must never write outside the restore target or leave anything behind: names
// with "..", absolute names, links, devices, duplicates, entries the manifest does not vouch for.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/backup/archive_path.h"
#include "store/backup/backup_manifest.h"
#include "store/backup/backup_reader.h"
#include "store/sha256.h"
#include "support/temp_dir.h"

namespace assistd::store {
namespace {

namespace fs = std::filesystem;

struct Crafted {
    std::string path{};
    std::string content{};
    unsigned type = AE_IFREG;
    std::string link{};  // symlink target, or hardlink source with type 0
};

BackupEntry entry_for(const Crafted& file) {
    Sha256 digest;
    digest.update(file.content);
    return {file.path, file.content.size(), digest.hex_digest()};
}

// Writes `files` as a tar.zst; each regular file listed in a manifest at the end unless the test
// hands its own manifest entries.
void write_archive(const std::string& path, const std::vector<Crafted>& files,
                   const std::vector<BackupEntry>* manifest_entries = nullptr) {
    archive* a = archive_write_new();
    archive_write_add_filter_zstd(a);
    archive_write_set_format_pax_restricted(a);
    ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
    BackupManifest manifest{.created_at = 1'700'000'000, .host = "crafted"};
    const auto add = [&](const Crafted& file) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, file.path.c_str());
        if (file.type == 0) {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, file.link.c_str());
        } else {
            archive_entry_set_filetype(e, file.type);
            if (file.type == AE_IFLNK) archive_entry_set_symlink(e, file.link.c_str());
        }
        archive_entry_set_perm(e, 0600);
        archive_entry_set_size(e, static_cast<la_int64_t>(file.content.size()));
        archive_write_header(a, e);
        archive_write_data(a, file.content.data(), file.content.size());
        archive_entry_free(e);
    };
    for (const Crafted& file : files) {
        add(file);
        if (file.type == AE_IFREG && file.link.empty()) manifest.entries.push_back(entry_for(file));
    }
    if (manifest_entries != nullptr) manifest.entries = *manifest_entries;
    add({kManifestName, manifest_json(manifest)});
    archive_write_close(a);
    archive_write_free(a);
}

class CraftedArchive : public ::testing::Test {
  protected:
    // Restores `files` into <tmp>/restore/target and expects a refusal naming `why`, with
    // nothing left anywhere under <tmp>/restore.
    void expect_refused(const std::vector<Crafted>& files, const std::string& why,
                        const std::vector<BackupEntry>* manifest_entries = nullptr) {
        const std::string archive = dir_.file("crafted.tar.zst");
        write_archive(archive, files, manifest_entries);
        EXPECT_FALSE(verify_backup(archive));
        const fs::path area = dir_.path() / "restore";
        fs::create_directories(area / "deep");
        Result<BackupManifest> restored = restore_backup(archive, (area / "deep/target").string());
        ASSERT_FALSE(restored);
        EXPECT_NE(restored.error().message.find(why), std::string::npos)
            << restored.error().message;
        std::vector<std::string> left;
        for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
            left.push_back(entry.path().lexically_relative(dir_.path()).string());
        }
        std::sort(left.begin(), left.end());
        EXPECT_EQ(left, (std::vector<std::string>{"crafted.tar.zst", "restore", "restore/deep"}));
        fs::remove_all(area);
    }

    testing::TempDir dir_;
};

TEST(ArchivePath, AcceptsOnlyPlainRelativeNames) {
    EXPECT_TRUE(is_safe_archive_path("data/assistd.db"));
    EXPECT_TRUE(is_safe_archive_path("data/models/qwen/2/manifest.json"));
    EXPECT_TRUE(is_safe_archive_path("MANIFEST.json"));
    for (const char* bad : {"", "/etc/passwd", "../x", "data/../../x", "data/./x", "data//x",
                            "data/", "a\\b", "a\nb", "..", "."}) {
        EXPECT_FALSE(is_safe_archive_path(bad)) << bad;
    }
}

TEST_F(CraftedArchive, RestoresAWellFormedArchive) {
    const std::string archive = dir_.file("good.tar.zst");
    write_archive(archive, {{"data/assistd.db", "db"}, {"config/assistd.yaml", "service: {}\n"}});
    ASSERT_TRUE(verify_backup(archive));
    const fs::path target = dir_.path() / "target";
    Result<BackupManifest> restored = restore_backup(archive, target.string());
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_EQ(restored->entries.size(), 2u);
    EXPECT_TRUE(fs::exists(target / "assistd.db"));
    EXPECT_TRUE(fs::exists(target / "restored/config/assistd.yaml"));
    EXPECT_EQ(fs::status(target / "assistd.db").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(CraftedArchive, RefusesTraversalNames) {
    expect_refused({{"data/ok", "fine"}, {"data/../../../evil", "pwned"}}, "unsafe name");
    expect_refused({{"../evil", "pwned"}}, "unsafe name");
}

TEST_F(CraftedArchive, RefusesAbsoluteNames) {
    const std::string outside = (dir_.path() / "absolute-evil").string();
    expect_refused({{outside, "pwned"}}, "unsafe name");
    EXPECT_FALSE(fs::exists(outside));
}

TEST_F(CraftedArchive, RefusesSymbolicLinks) {
    expect_refused({{"data/escape", "", AE_IFLNK, "/etc"}, {"data/escape/passwd", "pwned"}},
                   "is a link");
}

TEST_F(CraftedArchive, RefusesHardLinks) {
    expect_refused({{"data/a", "x"}, {"data/b", "", 0, "/etc/passwd"}}, "is a link");
}

TEST_F(CraftedArchive, RefusesDevicesAndDirectories) {
    expect_refused({{"data/dev", "", AE_IFCHR}}, "not a regular file");
    expect_refused({{"data/dir", "", AE_IFDIR}}, "'data/dir/'");  // tar names a directory "dir/"
}

TEST_F(CraftedArchive, RefusesABadChecksum) {
    std::vector<BackupEntry> entries = {entry_for({"data/a", "original"})};
    expect_refused({{"data/a", "tampered"}}, "does not match its checksum", &entries);
}

TEST_F(CraftedArchive, RefusesEntriesTheManifestDoesNotList) {
    std::vector<BackupEntry> entries = {entry_for({"data/a", "x"})};
    expect_refused({{"data/a", "x"}, {"data/smuggled", "y"}}, "not in the manifest", &entries);
}

TEST_F(CraftedArchive, RefusesAMissingEntry) {
    std::vector<BackupEntry> entries = {entry_for({"data/a", "x"}), entry_for({"data/b", "y"})};
    expect_refused({{"data/a", "x"}}, "is missing", &entries);
}

TEST_F(CraftedArchive, RefusesDuplicates) {
    std::vector<BackupEntry> entries = {entry_for({"data/a", "x"})};
    expect_refused({{"data/a", "x"}, {"data/a", "x"}}, "appears twice", &entries);
}

TEST_F(CraftedArchive, RefusesAnArchiveWithoutManifest) {
    const std::string bare = dir_.file("bare.tar.zst");
    archive* a = archive_write_new();
    archive_write_add_filter_zstd(a);
    archive_write_set_format_pax_restricted(a);
    archive_write_open_filename(a, bare.c_str());
    archive_write_close(a);
    archive_write_free(a);
    Result<BackupManifest> verified = verify_backup(bare);
    ASSERT_FALSE(verified);
    EXPECT_NE(verified.error().message.find("MANIFEST.json"), std::string::npos);
}

TEST_F(CraftedArchive, RefusesGarbage) {
    std::ofstream(dir_.file("garbage.tar.zst")) << "this is not an archive";
    EXPECT_FALSE(verify_backup(dir_.file("garbage.tar.zst")));
    EXPECT_FALSE(verify_backup(dir_.file("missing.tar.zst")));
}

TEST_F(CraftedArchive, RestoreNeedsAnEmptyTarget) {
    const std::string archive = dir_.file("good.tar.zst");
    write_archive(archive, {{"data/assistd.db", "db"}});
    fs::create_directories(dir_.path() / "busy");
    std::ofstream(dir_.file("busy/keep.txt")) << "mine";
    Result<BackupManifest> restored = restore_backup(archive, dir_.file("busy"));
    ASSERT_FALSE(restored);
    EXPECT_NE(restored.error().message.find("not empty"), std::string::npos);
    EXPECT_TRUE(fs::exists(dir_.file("busy/keep.txt")));
    EXPECT_FALSE(fs::exists(dir_.file("busy/assistd.db")));
}

}  // namespace
}  // namespace assistd::store
