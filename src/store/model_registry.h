// ModelRegistry: imported model versions, which one of each model is active, and the history of
// activations — `<data_dir>/registry.db` plus one directory per version:
//
//   <data_dir>/models/<name>/<version>/model.gguf      read-only once imported
//   <data_dir>/models/<name>/<version>/manifest.json   sha256, size, architecture, ...
//
// Versions are immutable: a name and version, once imported, always mean the same bytes. Every
// change to what is served bumps a generation number, which running servers poll.
//
//   Result<ModelRegistry> registry = ModelRegistry::open("data");
//   registry->import("stories", "stories260K.gguf", std::nullopt, now);  // version "1"
//   registry->activate("stories", "1", now);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/database.h"
#include "store/model_manifest.h"

namespace assistd::store {

enum class VersionPolicy {
    Specific,  // the version last activated (or rolled back to) is served
    Latest,    // each import is activated at once
};

std::string_view policy_name(VersionPolicy policy);  // "specific", "latest"
Result<VersionPolicy> parse_policy(std::string_view text);

struct RegisteredModel {
    std::string name{};
    std::optional<std::string> active_version{};
    VersionPolicy policy = VersionPolicy::Specific;
    std::vector<ModelManifest> versions{};  // oldest first
};

struct Activation {
    std::string version{};
    std::string action{};  // "activate", "rollback"
    int64_t at = 0;        // Unix seconds
};

// A model's active version and where its file is.
struct ActiveModel {
    ModelManifest manifest{};
    std::filesystem::path file{};
};

// Names and versions become directory names: 1 to 64 of [A-Za-z0-9._-], not starting with a
// dot (no "..", no hidden names), so nothing can point outside the models directory. `what`
// ("name", "version") starts the error message.
Result<void> validate_registry_name(std::string_view text, std::string_view what);

class ModelRegistry {
  public:
    // Opens `<data_dir>/registry.db`, creating the directory and migrating the schema.
    static Result<ModelRegistry> open(const std::filesystem::path& data_dir);

    // Checks `file` is valid GGUF, copies it (a hard link when it is read-only and on the same
    // filesystem) into a staging directory, hashes and describes the copy, and renames it into
    // place: the version directory appears complete or not at all. `version` defaults to one more
    // than the highest numeric version of `name`. Under the latest policy the new version is
    // activated.
    Result<ModelManifest> import(const std::string& name, const std::filesystem::path& file,
                                 std::optional<std::string> version, int64_t now);
    Result<std::vector<RegisteredModel>> list();
    Result<std::vector<Activation>> history(const std::string& name);

    Result<void> activate(const std::string& name, const std::string& version, int64_t now);
    // Back to the version that was active before the current one (skipping removed ones);
    // returns that version.
    Result<std::string> rollback(const std::string& name, int64_t now);
    // Deletes a version's row and files; the active version is refused.
    Result<void> remove(const std::string& name, const std::string& version);
    Result<void> set_policy(const std::string& name, VersionPolicy policy);

    // Every model with an active version, by name.
    Result<std::vector<ActiveModel>> active();
    // Changes whenever what active() returns may have (activate, rollback, remove, ...).
    Result<int64_t> generation();

    std::filesystem::path version_dir(const std::string& name, const std::string& version) const;

  private:
    ModelRegistry(Database db, std::filesystem::path data_dir)
        : db_(std::move(db)), data_dir_(std::move(data_dir)) {}

    Result<std::optional<RegisteredModel>> find(const std::string& name);
    Result<RegisteredModel> require(const std::string& name);
    Result<std::string> next_version(const std::string& name);
    Result<void> record_activation(const std::string& name, const std::string& version,
                                   std::string_view action, int64_t now);

    Database db_;
    std::filesystem::path data_dir_;
};

// {"object": "list", "data": [{name, active_version, policy, versions: [manifest...]}]}, as
// `assistd models list --json` prints and GET /v1/admin/models answers.
nlohmann::json registry_listing(const std::vector<RegisteredModel>& models);

Migrations registry_migrations();

}  // namespace assistd::store
