// The data directory check: credentials, the master key and the audit log are written there;
// a read-only or foreign-owned directory fails the first key creation, not the start.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {
namespace {

// The directory itself, or the nearest existing ancestor that serve would create it under.
std::filesystem::path existing_directory(const std::filesystem::path& dir) {
    std::filesystem::path at = std::filesystem::absolute(dir);
    std::error_code ec;
    while (!std::filesystem::exists(at, ec) && at.has_parent_path() && at != at.parent_path()) {
        at = at.parent_path();
    }
    return at;
}

}  // namespace

CheckResult check_data_dir(const StorageConfig& storage) {
    const std::filesystem::path dir = existing_directory(storage.data_dir);
    const bool exists = dir == std::filesystem::absolute(storage.data_dir);
    std::string probe = (dir / ".assistd-doctor-XXXXXX").string();
    const int fd = ::mkstemp(probe.data());
    if (fd < 0) {
        const int error = errno;
        return CheckResult::fail(
            "data_dir", dir.string() + " is not writable (" + std::strerror(error) + ")",
            "make storage.data_dir writable by this user (chown/chmod) or point it elsewhere");
    }
    ::close(fd);
    ::unlink(probe.c_str());
    if (!exists) {
        return CheckResult::ok("data_dir",
                               storage.data_dir + " will be created in " + dir.string());
    }
    return CheckResult::ok("data_dir", storage.data_dir + " is writable");
}

}  // namespace assistd::ops::doctor
