// FileMapping: a whole file mapped read-only into memory, unmapped when destroyed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "common/result.h"

namespace assistd::gguf {

class FileMapping {
  public:
    // Maps `path` read-only. An empty file gives an empty mapping.
    static Result<FileMapping> map(const std::filesystem::path& path);

    FileMapping(FileMapping&& other) noexcept;
    FileMapping& operator=(FileMapping&& other) noexcept;
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;
    ~FileMapping();

    std::span<const uint8_t> bytes() const { return {static_cast<const uint8_t*>(base_), size_}; }

  private:
    FileMapping(void* base, size_t size) : base_(base), size_(size) {}
    void release();

    void* base_ = nullptr;
    size_t size_ = 0;
};

}  // namespace assistd::gguf
