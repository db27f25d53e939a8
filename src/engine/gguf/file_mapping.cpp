#include "engine/gguf/file_mapping.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace assistd::gguf {
namespace {

Error system_error(const std::filesystem::path& path, std::string_view what) {
    return Error{"gguf: " + path.string() + ": " + std::string(what) + ": " + std::strerror(errno)};
}

}  // namespace

Result<FileMapping> FileMapping::map(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return system_error(path, "cannot open");
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        Error error = system_error(path, "cannot stat");
        ::close(fd);
        return error;
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        return Error{"gguf: " + path.string() + ": not a regular file"};
    }
    const auto size = static_cast<size_t>(info.st_size);
    if (size == 0) {
        ::close(fd);
        return FileMapping(nullptr, 0);
    }
    void* base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    Error map_error = base == MAP_FAILED ? system_error(path, "cannot map") : Error{};
    ::close(fd);  // the mapping keeps the file alive
    if (base == MAP_FAILED) return map_error;
    return FileMapping(base, size);
}

FileMapping::FileMapping(FileMapping&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)), size_(std::exchange(other.size_, 0)) {}

FileMapping& FileMapping::operator=(FileMapping&& other) noexcept {
    if (this != &other) {
        release();
        base_ = std::exchange(other.base_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

FileMapping::~FileMapping() {
    release();
}

void FileMapping::release() {
    if (base_ != nullptr) ::munmap(base_, size_);
    base_ = nullptr;
    size_ = 0;
}

}  // namespace assistd::gguf
