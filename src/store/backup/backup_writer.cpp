#include "store/backup/backup_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>

#include "store/backup/archive_path.h"
#include "store/backup/backup_manifest.h"
#include "store/backup/backup_names.h"
#include "store/sha256.h"
#include "store/backup/sqlite_snapshot.h"

namespace assistd::store {

namespace fs = std::filesystem;

namespace {

// A file to archive: `source` is a snapshot in the staging directory, or the original when that
// cannot change underneath us (model files are immutable once imported).
struct Item {
    std::string archive_path;
    std::string source;
};

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// SQLite's companions of a live database: the snapshot already holds what they add.
bool is_sqlite_companion(const std::string& name) {
    return ends_with(name, "-wal") || ends_with(name, "-shm") || ends_with(name, "-journal");
}

// Audit and alert logs (and their rotated files, audit.log.000001) are appended to while we read:
// a copy ends at the last complete line, so a half-written line is never backed up as garbage.
bool is_line_log(const std::string& name) {
    return name.find(".log") != std::string::npos;
}

Result<void> copy_file(const fs::path& from, const fs::path& to, bool whole_lines_only) {
    std::ifstream in(from, std::ios::binary);
    if (!in) return Error{"cannot read " + from.string()};
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return Error{"cannot read " + from.string()};
    if (whole_lines_only) bytes.resize(bytes.rfind('\n') + 1);  // npos + 1 == 0: no line yet
    const int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"cannot write " + to.string()};
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    const bool closed = ::close(fd) == 0;
    if (written != static_cast<ssize_t>(bytes.size()) || !closed) {
        return Error{"cannot write " + to.string()};
    }
    return {};
}

// Snapshots what may change under us into `staging` and returns every file to archive.
class Collector {
  public:
    Collector(const BackupPlan& plan, fs::path staging)
        : plan_(plan), staging_(std::move(staging)) {}

    Result<std::vector<Item>> collect(std::vector<std::string>& skipped) {
        const fs::path data = fs::absolute(plan_.data_dir).lexically_normal();
        std::error_code ec;
        if (!fs::is_directory(data, ec)) return Error{plan_.data_dir + " is not a directory"};
        fs::recursive_directory_iterator walk(data, ec), end;
        for (; !ec && walk != end; walk.increment(ec)) {
            const fs::directory_entry& entry = *walk;
            if (entry.is_directory(ec) && !entry.is_symlink(ec)) {
                if (is_excluded(entry.path())) walk.disable_recursion_pending();
                continue;
            }
            const std::string relative = entry.path().lexically_relative(data).generic_string();
            if (entry.is_symlink(ec) || !entry.is_regular_file(ec)) {
                skipped.push_back(relative);
                continue;
            }
            const std::string name = entry.path().filename().string();
            if (is_sqlite_companion(name)) continue;
            if (ends_with(name, ".gguf") && !plan_.with_models) continue;
            if (Result<void> added = add("data/" + relative, entry.path()); !added) {
                return added.error();
            }
        }
        if (ec) return Error{"cannot list " + plan_.data_dir + ": " + ec.message()};
        for (const ExtraFile& extra : plan_.extra_files) {
            if (Result<void> added = add(extra.archive_path, extra.source); !added) {
                return added.error();
            }
        }
        return std::move(items_);
    }

  private:
    bool is_excluded(const fs::path& directory) const {
        for (const std::string& excluded : plan_.excluded) {
            std::error_code ec;
            if (fs::equivalent(directory, excluded, ec)) return true;
        }
        return false;
    }

    Result<void> add(const std::string& archive_path, const fs::path& source) {
        if (!is_safe_archive_path(archive_path)) {
            return Error{"cannot back up " + source.string() + ": its name is not portable"};
        }
        const std::string name = source.filename().string();
        if (ends_with(name, ".gguf")) {
            items_.push_back({archive_path, source.string()});
            return {};
        }
        const fs::path copy = staging_ / std::to_string(items_.size());
        Result<void> copied = ends_with(name, ".db")
                                  ? snapshot_database(source.string(), copy.string())
                                  : copy_file(source, copy, is_line_log(name));
        if (!copied) return copied.error();
        items_.push_back({archive_path, copy.string()});
        return {};
    }

    const BackupPlan& plan_;
    fs::path staging_;
    std::vector<Item> items_;
};

struct ArchiveFreer {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFreer {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

class ArchiveWriter {
  public:
    static Result<ArchiveWriter> open(const std::string& path) {
        ArchiveWriter writer(path);
        writer.fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (writer.fd_ < 0) return Error{"cannot write " + path};
        archive* a = writer.archive_.get();
        if (archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
            archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
            archive_write_open_fd(a, writer.fd_) != ARCHIVE_OK) {
            return writer.error();
        }
        return writer;
    }

    ArchiveWriter(ArchiveWriter&& other) noexcept
        : path_(std::move(other.path_)),
          archive_(std::move(other.archive_)),
          fd_(std::exchange(other.fd_, -1)) {}
    ArchiveWriter& operator=(ArchiveWriter&&) = delete;
    ~ArchiveWriter() {
        archive_.reset();
        if (fd_ >= 0) ::close(fd_);
    }

    // Streams `source` in as `archive_path`, returning its manifest entry.
    Result<BackupEntry> add_file(const std::string& archive_path, const std::string& source,
                                 int64_t mtime) {
        std::ifstream in(source, std::ios::binary);
        std::error_code ec;
        const uintmax_t size = fs::file_size(source, ec);
        if (!in || ec) return Error{"cannot read " + source};
        Result<void> header = write_header(archive_path, size, mtime);
        if (!header) return header.error();
        Sha256 digest;
        uint64_t total = 0;
        std::array<char, 1 << 16> buffer{};
        while (in) {
            in.read(buffer.data(), buffer.size());
            const auto got = static_cast<size_t>(in.gcount());
            if (got == 0) break;
            digest.update({buffer.data(), got});
            total += got;
            if (archive_write_data(archive_.get(), buffer.data(), got) < 0) return error();
        }
        if (in.bad() || total != size) {
            return Error{source + " changed while it was being backed up; try again"};
        }
        return BackupEntry{archive_path, total, digest.hex_digest()};
    }

    Result<void> add_bytes(const std::string& archive_path, const std::string& bytes,
                           int64_t mtime) {
        Result<void> header = write_header(archive_path, bytes.size(), mtime);
        if (!header) return header;
        if (archive_write_data(archive_.get(), bytes.data(), bytes.size()) < 0) return error();
        return {};
    }

    // On disk before the rename that makes the backup visible: a crash leaves no torn archive.
    Result<void> close() {
        if (archive_write_close(archive_.get()) != ARCHIVE_OK) return error();
        if (::fsync(fd_) != 0) return Error{"cannot write " + path_};
        return {};
    }

  private:
    explicit ArchiveWriter(std::string path)
        : path_(std::move(path)), archive_(archive_write_new()) {}

    Result<void> write_header(const std::string& archive_path, uint64_t size, int64_t mtime) {
        std::unique_ptr<archive_entry, EntryFreer> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), archive_path.c_str());
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0600);
        archive_entry_set_mtime(entry.get(), mtime, 0);
        if (archive_write_header(archive_.get(), entry.get()) != ARCHIVE_OK) return error();
        return {};
    }

    Error error() const {
        const char* message = archive_error_string(archive_.get());
        return Error{"cannot write " + path_ + ": " + (message ? message : "unknown error")};
    }

    std::string path_;
    std::unique_ptr<archive, ArchiveFreer> archive_;
    int fd_ = -1;
};

// Removes the staging directory (and a partial archive) however create_backup ends.
struct RemoveOnExit {
    std::vector<fs::path> paths;
    ~RemoveOnExit() {
        std::error_code ec;
        for (const fs::path& path : paths) fs::remove_all(path, ec);
    }
};

}  // namespace

Result<CreatedBackup> create_backup(const BackupPlan& plan) {
    std::error_code ec;
    fs::create_directories(plan.backup_dir, ec);
    if (ec) return Error{"cannot create " + plan.backup_dir + ": " + ec.message()};
    std::string staging_template = (fs::path(plan.backup_dir) / ".staging-XXXXXX").string();
    if (::mkdtemp(staging_template.data()) == nullptr) {
        return Error{"cannot write in " + plan.backup_dir};
    }
    RemoveOnExit cleanup{{staging_template}};

    CreatedBackup created;
    Result<std::vector<Item>> items = Collector(plan, staging_template).collect(created.skipped);
    if (!items) return items.error();

    const fs::path final_path = unused_backup_path(plan.backup_dir, plan.now);
    const std::string partial = final_path.string() + ".partial";
    cleanup.paths.push_back(partial);
    Result<ArchiveWriter> writer = ArchiveWriter::open(partial);
    if (!writer) return writer.error();
    BackupManifest manifest{
        .created_at = plan.now, .host = plan.host, .with_models = plan.with_models};
    for (const Item& item : *items) {
        Result<BackupEntry> entry = writer->add_file(item.archive_path, item.source, plan.now);
        if (!entry) return entry.error();
        created.bytes += entry->size;
        manifest.entries.push_back(std::move(*entry));
    }
    if (Result<void> written = writer->add_bytes(kManifestName, manifest_json(manifest), plan.now);
        !written) {
        return written.error();
    }
    if (Result<void> closed = writer->close(); !closed) return closed.error();
    fs::rename(partial, final_path, ec);
    if (ec) return Error{"cannot write " + final_path.string() + ": " + ec.message()};
    created.path = final_path.string();
    created.files = manifest.entries.size();
    return created;
}

}  // namespace assistd::store
