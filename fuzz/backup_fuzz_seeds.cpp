// Writes seed archives for backup_archive_fuzz into DIR: a real backup of a small data directory
// (a SQLite database, a key, a log, a model manifest, a config file outside it) as made by
// create_backup, and the same entries as an uncompressed tar, whose headers the fuzzer can reach
// without first getting through zstd.
//   backup_fuzz_seeds DIR
#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "store/backup/backup_writer.h"
#include "store/backup/sqlite_snapshot.h"

namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// Copies every entry of `from` into an uncompressed tar at `to`.
bool uncompress(const std::string& from, const std::string& to) {
    archive* in = archive_read_new();
    archive_read_support_filter_zstd(in);
    archive_read_support_format_tar(in);
    archive* out = archive_write_new();
    archive_write_set_format_pax_restricted(out);
    bool ok = archive_read_open_filename(in, from.c_str(), 1 << 16) == ARCHIVE_OK &&
              archive_write_open_filename(out, to.c_str()) == ARCHIVE_OK;
    archive_entry* entry = nullptr;
    std::array<char, 1 << 16> buffer{};
    while (ok && archive_read_next_header(in, &entry) == ARCHIVE_OK) {
        ok = archive_write_header(out, entry) == ARCHIVE_OK;
        for (la_ssize_t got;
             ok && (got = archive_read_data(in, buffer.data(), buffer.size())) > 0;) {
            ok = archive_write_data(out, buffer.data(), static_cast<size_t>(got)) == got;
        }
    }
    archive_write_close(out);
    archive_write_free(out);
    archive_read_free(in);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: backup_fuzz_seeds DIR\n");
        return 2;
    }
    const fs::path corpus = argv[1];
    const fs::path work = fs::temp_directory_path() / "backup-fuzz-seeds";
    fs::remove_all(work);
    write(work / "data/master.key", "00112233445566778899aabbccddeeff\n");
    write(work / "data/audit.log", "{\"seq\":1}\n");
    write(work / "data/models/tiny/1/manifest.json", "{\"version\":\"1\"}\n");
    write(work / "assistd.yaml", "service:\n  port: 8080\n");
    const std::string empty_db = (work / "empty.db").string();
    write(empty_db, "");
    if (!assistd::store::snapshot_database(empty_db, (work / "data/assistd.db").string())) return 1;
    auto created = assistd::store::create_backup(
        {.data_dir = (work / "data").string(),
         .extra_files = {{"config/assistd.yaml", (work / "assistd.yaml").string()}},
         .backup_dir = (work / "out").string(),
         .now = 1'790'000'000,
         .host = "seed"});
    if (!created) {
        std::fprintf(stderr, "%s\n", created.error().message.c_str());
        return 1;
    }
    fs::create_directories(corpus);
    fs::copy_file(created->path, corpus / "backup.tar.zst", fs::copy_options::overwrite_existing);
    const bool ok = uncompress(created->path, (corpus / "backup.tar").string());
    fs::remove_all(work);
    return ok ? 0 : 1;
}
