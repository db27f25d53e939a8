// ModelManifest: what the registry knows of one imported model file, written as manifest.json
// beside it so the directory explains itself (and a backup carries it) without the database.
//
//   Result<ModelManifest> m = describe_model_file("models/stories/1/model.gguf");
//   write_manifest(m->..., "models/stories/1/manifest.json");
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"

namespace assistd::store {

struct ModelManifest {
    std::string name{};
    std::string version{};
    std::string sha256{};  // of model.gguf, lowercase hex
    int64_t size_bytes = 0;
    std::string architecture{};  // general.architecture
    std::string file_type{};     // general.file_type as llama.cpp names it ("Q8_0"), or its number
    int64_t context_length = 0;  // <architecture>.context_length; 0 when the file does not say
    int64_t imported_at = 0;     // Unix seconds
    std::string source{};        // the path it was imported from

    bool operator==(const ModelManifest&) const = default;
};

// Parses `path` as GGUF with the engine's reader (every offset and size checked) and hashes it;
// fills everything but name, version, imported_at and source. A file that is not valid GGUF is
// an Error saying why (without the path, which the caller names as its user knows it).
Result<ModelManifest> describe_model_file(const std::filesystem::path& path);

// The manifest's fields as JSON (what manifest.json holds, and what listings show of a version).
nlohmann::json manifest_fields(const ModelManifest& manifest);
std::string manifest_json(const ModelManifest& manifest);
Result<void> write_manifest(const ModelManifest& manifest, const std::filesystem::path& path);

}  // namespace assistd::store
