#include "store/backup/backup_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#include "store/backup/archive_path.h"
#include "store/sha256.h"

namespace assistd::store {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxManifestBytes = 16 << 20;

// Receives the bytes of each entry: restore writes them out.
class EntrySink {
  public:
    virtual ~EntrySink() = default;
    virtual Result<void> begin(const std::string& archive_path) = 0;
    virtual Result<void> write(std::string_view bytes) = 0;
    virtual Result<void> end() = 0;
};

struct ReaderFreer {
    void operator()(archive* a) const { archive_read_free(a); }
};

std::string describe(const std::string& path) {
    return "entry '" + path + "'";
}

Result<void> refuse_unsafe(archive_entry* entry, const std::string& path) {
    if (!is_safe_archive_path(path)) {
        return Error{describe(path) + " has an unsafe name (absolute, '..', or odd characters)"};
    }
    if (archive_entry_hardlink(entry) != nullptr || archive_entry_symlink(entry) != nullptr) {
        return Error{describe(path) + " is a link; backups hold only regular files"};
    }
    if (archive_entry_filetype(entry) != AE_IFREG) {
        return Error{describe(path) + " is not a regular file"};
    }
    if (!archive_entry_size_is_set(entry) || archive_entry_size(entry) < 0) {
        return Error{describe(path) + " has no size"};
    }
    return {};
}

// Reads every entry, checks it against the manifest, and feeds file contents to `sink` (when
// there is one).
Result<BackupManifest> read_backup(const std::string& archive_path, EntrySink* sink) {
    std::unique_ptr<archive, ReaderFreer> reader(archive_read_new());
    archive_read_support_filter_zstd(reader.get());
    archive_read_support_format_tar(reader.get());
    const auto failure = [&](const std::string& what) {
        const char* message = archive_error_string(reader.get());
        return Error{archive_path + ": " + what + (message ? std::string(": ") + message : "")};
    };
    if (archive_read_open_filename(reader.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
        return failure("cannot open");
    }
    std::map<std::string, BackupEntry> found;
    std::string manifest_text;
    bool has_manifest = false;
    archive_entry* entry = nullptr;
    std::array<char, 1 << 16> buffer{};
    for (;;) {
        const int next = archive_read_next_header(reader.get(), &entry);
        if (next == ARCHIVE_EOF) break;
        if (next != ARCHIVE_OK) return failure("not a readable backup archive");
        const char* name = archive_entry_pathname(entry);
        const std::string path = name ? name : "";
        if (Result<void> safe = refuse_unsafe(entry, path); !safe) return safe.error();
        if (found.count(path) || (has_manifest && path == kManifestName)) {
            return Error{describe(path) + " appears twice"};
        }
        const bool is_manifest = path == kManifestName;
        if (is_manifest && archive_entry_size(entry) > static_cast<la_int64_t>(kMaxManifestBytes)) {
            return Error{"the manifest is too large"};
        }
        if (!is_manifest && sink != nullptr) {
            if (Result<void> begun = sink->begin(path); !begun) return begun.error();
        }
        Sha256 digest;
        uint64_t size = 0;
        for (;;) {
            const la_ssize_t got = archive_read_data(reader.get(), buffer.data(), buffer.size());
            if (got < 0) return failure("damaged at " + describe(path));
            if (got == 0) break;
            const std::string_view bytes(buffer.data(), static_cast<size_t>(got));
            size += bytes.size();
            if (is_manifest) {
                manifest_text.append(bytes);
            } else {
                digest.update(bytes);
                if (sink != nullptr) {
                    if (Result<void> written = sink->write(bytes); !written) return written.error();
                }
            }
        }
        if (is_manifest) {
            has_manifest = true;
            continue;
        }
        if (sink != nullptr) {
            if (Result<void> ended = sink->end(); !ended) return ended.error();
        }
        found[path] = BackupEntry{path, size, digest.hex_digest()};
    }
    if (!has_manifest) return Error{archive_path + " has no " + kManifestName};
    Result<BackupManifest> manifest = parse_manifest(manifest_text);
    if (!manifest) return manifest.error();
    for (const BackupEntry& listed : manifest->entries) {
        const auto it = found.find(listed.path);
        if (it == found.end()) return Error{describe(listed.path) + " is missing"};
        if (it->second.size != listed.size || it->second.sha256 != listed.sha256) {
            return Error{describe(listed.path) + " does not match its checksum"};
        }
        found.erase(it);
    }
    if (!found.empty()) {
        return Error{describe(found.begin()->first) + " is not in the manifest"};
    }
    return manifest;
}

// Writes entries below `target`. Every name was checked by refuse_unsafe, every directory on the
// way is one this sink made inside an empty target, and files are opened O_EXCL|O_NOFOLLOW: no
// entry can reach outside the target or overwrite anything.
class DirectoryWriter final : public EntrySink {
  public:
    explicit DirectoryWriter(fs::path target) : target_(std::move(target)) {}
    ~DirectoryWriter() override { close_file(); }

    Result<void> begin(const std::string& archive_path) override {
        const fs::path path = target_ / restored_path(archive_path);
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) return Error{"cannot create " + path.parent_path().string() + ": " + ec.message()};
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd_ < 0) return Error{"cannot write " + path.string()};
        current_ = path;
        return {};
    }

    Result<void> write(std::string_view bytes) override {
        while (!bytes.empty()) {
            const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
            if (written < 0) return Error{"cannot write " + current_.string()};
            bytes.remove_prefix(static_cast<size_t>(written));
        }
        return {};
    }

    Result<void> end() override {
        const bool synced = ::fsync(fd_) == 0;
        close_file();
        if (!synced) return Error{"cannot write " + current_.string()};
        return {};
    }

  private:
    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    fs::path target_;
    fs::path current_;
    int fd_ = -1;
};

}  // namespace

std::string restored_path(const std::string& archive_path) {
    constexpr std::string_view kData = "data/";
    if (archive_path.compare(0, kData.size(), kData) == 0) return archive_path.substr(kData.size());
    return "restored/" + archive_path;
}

Result<BackupManifest> verify_backup(const std::string& archive_path) {
    return read_backup(archive_path, nullptr);
}

Result<BackupManifest> restore_backup(const std::string& archive_path, const std::string& target) {
    std::error_code ec;
    const bool existed = fs::exists(target, ec);
    if (existed && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec))) {
        return Error{target + " is not empty: restore only into an empty or new data directory"};
    }
    if (!existed && (!fs::create_directories(target, ec) || ec)) {
        return Error{"cannot create " + target + ": " + ec.message()};
    }
    ::chmod(target.c_str(), 0700);
    Result<BackupManifest> restored = [&] {
        DirectoryWriter sink(target);
        return read_backup(archive_path, &sink);
    }();
    if (!restored) {
        // Back to how it was: nothing of a refused archive stays.
        if (existed) {
            for (const fs::directory_entry& entry : fs::directory_iterator(target, ec)) {
                fs::remove_all(entry.path(), ec);
            }
        } else {
            fs::remove_all(target, ec);
        }
    }
    return restored;
}

}  // namespace assistd::store
