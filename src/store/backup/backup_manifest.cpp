#include "store/backup/backup_manifest.h"

#include <nlohmann/json.hpp>

namespace assistd::store {

namespace {

bool is_sha256_hex(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string manifest_json(const BackupManifest& manifest) {
    nlohmann::json entries = nlohmann::json::array();
    for (const BackupEntry& entry : manifest.entries) {
        entries.push_back({{"path", entry.path}, {"size", entry.size}, {"sha256", entry.sha256}});
    }
    return nlohmann::json{{"format", manifest.format},
                          {"created_at", manifest.created_at},
                          {"host", manifest.host},
                          {"with_models", manifest.with_models},
                          {"entries", entries}}
               .dump(2) +
           "\n";
}

Result<BackupManifest> parse_manifest(const std::string& text) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return Error{"the manifest is not a JSON object"};
    BackupManifest manifest;
    try {
        manifest.format = json.at("format").get<int>();
        if (manifest.format != kBackupFormat) {
            return Error{"backup format " + std::to_string(manifest.format) +
                         " is not one this assistd reads (" + std::to_string(kBackupFormat) + ")"};
        }
        manifest.created_at = json.at("created_at").get<int64_t>();
        manifest.host = json.at("host").get<std::string>();
        manifest.with_models = json.at("with_models").get<bool>();
        for (const nlohmann::json& entry : json.at("entries")) {
            BackupEntry parsed{entry.at("path").get<std::string>(),
                               entry.at("size").get<uint64_t>(),
                               entry.at("sha256").get<std::string>()};
            if (!is_sha256_hex(parsed.sha256)) {
                return Error{"the manifest's digest of " + parsed.path + " is not SHA-256 hex"};
            }
            manifest.entries.push_back(std::move(parsed));
        }
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("the manifest is malformed: ") + e.what()};
    }
    return manifest;
}

}  // namespace assistd::store
