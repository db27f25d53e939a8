// libFuzzer entry point for backup archives: any bytes as an archive file are verified and
// restored into a fresh directory. Each input must be refused with an Error or accepted — and
// when accepted, everything written must lie inside the target and match the manifest; when
// refused, the target must be gone. Never a crash, a hang, or a file outside the target.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/backup/backup_reader.h"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
}

const fs::path& workspace() {
    static const fs::path dir = [] {
        std::string name = (fs::temp_directory_path() / "backup-fuzz-XXXXXX").string();
        if (::mkdtemp(name.data()) == nullptr) broken("a workspace can be made");
        return fs::path(name);
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fs::path archive = workspace() / "input.tar.zst";
    const fs::path target = workspace() / "target";
    std::ofstream(archive, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

    const auto verified = assistd::store::verify_backup(archive.string());
    const auto restored = assistd::store::restore_backup(archive.string(), target.string());
    if (verified.ok() != restored.ok()) broken("verify and restore agree");
    if (restored) {
        size_t files = 0;
        for (const auto& entry : fs::recursive_directory_iterator(target)) {
            if (entry.is_symlink()) broken("restore writes no links");
            if (entry.is_regular_file()) ++files;
        }
        if (files != restored->entries.size()) broken("restore writes exactly the manifest");
    } else if (fs::exists(target)) {
        broken("a refused archive leaves no target behind");
    }
    for (const auto& entry : fs::directory_iterator(workspace())) {
        const std::string name = entry.path().filename().string();
        if (name != "input.tar.zst" && name != "target") broken("nothing lands beside the target");
    }
    fs::remove_all(target);
    return 0;
}
