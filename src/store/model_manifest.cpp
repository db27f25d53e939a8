#include "store/model_manifest.h"

#include <array>
#include <fstream>
#include <memory>
#include <utility>
#include <vector>

#include "engine/gguf/gguf_file.h"
#include "store/sha256.h"

namespace assistd::store {
namespace {

// llama.cpp's LLAMA_FTYPE_* numbers for the types people recognise; others are shown as numbers.
constexpr std::array<std::pair<int64_t, const char*>, 12> kFileTypes = {{
    {0, "F32"},
    {1, "F16"},
    {2, "Q4_0"},
    {3, "Q4_1"},
    {7, "Q8_0"},
    {8, "Q5_0"},
    {9, "Q5_1"},
    {10, "Q2_K"},
    {14, "Q4_K_S"},
    {15, "Q4_K_M"},
    {17, "Q5_K_M"},
    {18, "Q6_K"},
}};

std::string file_type_name(const gguf::GgufFile& file) {
    if (!file.has("general.file_type")) return "unknown";
    Result<int64_t> type = file.get_int("general.file_type");
    if (!type) return "unknown";
    for (const auto& [number, name] : kFileTypes) {
        if (number == *type) return name;
    }
    return "type " + std::to_string(*type);
}

// The reader's message without the file's name, which the caller states its own way.
std::string reason_without_path(const Error& error, const std::filesystem::path& path) {
    std::string message = error.message;
    const std::string named = path.string() + ": ";
    if (const size_t at = message.find(named); at != std::string::npos)
        message.erase(at, named.size());
    return message;
}

}  // namespace

Result<ModelManifest> describe_model_file(const std::filesystem::path& path) {
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file)
        return Error{"not a valid GGUF file (" + reason_without_path(file.error(), path) + ")"};
    ModelManifest manifest;
    Result<std::string_view> architecture = file->get_string("general.architecture");
    if (!architecture) {
        return Error{"not a model (" + architecture.error().message + ")"};
    }
    manifest.architecture = std::string(*architecture);
    manifest.file_type = file_type_name(*file);
    const std::string context_key = manifest.architecture + ".context_length";
    if (file->has(context_key)) {
        Result<int64_t> context = file->get_int(context_key);
        if (context) manifest.context_length = *context;
    }
    std::error_code ec;
    manifest.size_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    if (ec) return Error{ec.message()};
    Result<std::string> digest = sha256_of_file(path);
    if (!digest) return digest.error();
    manifest.sha256 = *digest;
    return manifest;
}

nlohmann::json manifest_fields(const ModelManifest& m) {
    return {{"name", m.name},
            {"version", m.version},
            {"file", "model.gguf"},
            {"sha256", m.sha256},
            {"size_bytes", m.size_bytes},
            {"architecture", m.architecture},
            {"file_type", m.file_type},
            {"context_length", m.context_length},
            {"imported_at", m.imported_at},
            {"source", m.source}};
}

std::string manifest_json(const ModelManifest& manifest) {
    return manifest_fields(manifest).dump(2) + "\n";
}

Result<void> write_manifest(const ModelManifest& manifest, const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << manifest_json(manifest);
    out.close();
    if (!out) return Error{path.string() + ": cannot write the manifest"};
    return {};
}

}  // namespace assistd::store
