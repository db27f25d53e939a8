#include "store/model_registry.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace assistd::store {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxNameLength = 64;
constexpr const char* kVersionColumns =
    "name, version, sha256, size_bytes, architecture, file_type, context_length, imported_at, "
    "source";

ModelManifest manifest_of(const Row& row) {
    return {.name = text_of(row[0]),
            .version = text_of(row[1]),
            .sha256 = text_of(row[2]),
            .size_bytes = integer_of(row[3]),
            .architecture = text_of(row[4]),
            .file_type = text_of(row[5]),
            .context_length = integer_of(row[6]),
            .imported_at = integer_of(row[7]),
            .source = text_of(row[8])};
}

bool is_number(std::string_view text) {
    return !text.empty() && text.size() < 18 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

constexpr fs::perms kWriteBits =
    fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;

// The registry is the only writer of its directories: a version's files are made read-only so
// that nothing edits an imported version in place.
void make_read_only(const fs::path& file) {
    std::error_code ec;
    fs::permissions(file, kWriteBits, fs::perm_options::remove, ec);
}

// Puts `source` at `target`: a hard link when the source is read-only already and on the same
// filesystem (a link to a writable file would change with it, and making the operator's file
// read-only is not the registry's business), else a copy.
Result<void> place_file(const fs::path& source, const fs::path& target) {
    std::error_code ec;
    if ((fs::status(source, ec).permissions() & kWriteBits) == fs::perms::none && !ec) {
        fs::create_hard_link(source, target, ec);
        if (!ec) return {};
    }
    fs::copy_file(source, target, ec);
    if (ec) return Error{source.string() + ": cannot copy into the registry: " + ec.message()};
    return {};
}

// Builds the version directory under a staging name, then renames it into place: another process
// never sees a half-copied version, and two imports of one version cannot both succeed.
Result<ModelManifest> stage_version(const fs::path& source, const fs::path& target,
                                    ModelManifest identity) {
    const fs::path staging =
        target.parent_path() / (".import-" + identity.version + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(staging, ec);
    fs::create_directories(staging, ec);
    if (ec) return Error{staging.string() + ": cannot create: " + ec.message()};
    auto fail = [&](Error error) -> Result<ModelManifest> {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        return error;
    };
    const fs::path file = staging / "model.gguf";
    if (Result<void> placed = place_file(source, file); !placed) return fail(placed.error());
    // The copy is what gets served, so the copy is what is checked and hashed.
    Result<ModelManifest> described = describe_model_file(file);
    if (!described) return fail(Error{source.string() + ": " + described.error().message});
    ModelManifest manifest = *described;
    manifest.name = identity.name;
    manifest.version = identity.version;
    manifest.imported_at = identity.imported_at;
    manifest.source = identity.source;
    if (Result<void> written = write_manifest(manifest, staging / "manifest.json"); !written) {
        return fail(written.error());
    }
    make_read_only(file);
    make_read_only(staging / "manifest.json");
    fs::rename(staging, target, ec);
    if (ec) {
        return fail(
            Error{target.string() + ": cannot move the new version into place: " + ec.message()});
    }
    return manifest;
}

Result<void> bump_generation(Database& db) {
    return db.execute("UPDATE generation SET value = value + 1 WHERE id = 1");
}

// The active version after each entry of a model's history, newest last: activations push,
// rollbacks pop back to the version they name.
std::vector<std::string> activation_stack(const std::vector<Activation>& history) {
    std::vector<std::string> stack;
    for (const Activation& entry : history) {
        if (entry.action == "rollback") {
            while (!stack.empty() && stack.back() != entry.version) stack.pop_back();
            if (stack.empty()) stack.push_back(entry.version);
        } else if (stack.empty() || stack.back() != entry.version) {
            stack.push_back(entry.version);
        }
    }
    return stack;
}

bool has_version(const RegisteredModel& model, const std::string& version) {
    return std::any_of(model.versions.begin(), model.versions.end(),
                       [&](const ModelManifest& m) { return m.version == version; });
}

}  // namespace

std::string_view policy_name(VersionPolicy policy) {
    return policy == VersionPolicy::Latest ? "latest" : "specific";
}

Result<VersionPolicy> parse_policy(std::string_view text) {
    if (text == "latest") return VersionPolicy::Latest;
    if (text == "specific") return VersionPolicy::Specific;
    return Error{"unknown version policy '" + std::string(text) + "' (latest or specific)"};
}

Result<void> validate_registry_name(std::string_view text, std::string_view what) {
    const std::string quoted = std::string(what) + " '" + std::string(text) + "'";
    if (text.empty() || text.size() > kMaxNameLength) {
        return Error{quoted + " must be 1 to " + std::to_string(kMaxNameLength) + " characters"};
    }
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '_' && c != '-') {
            return Error{quoted + " may only hold letters, digits, '.', '_' and '-'"};
        }
    }
    if (text.front() == '.' || text.find("..") != std::string_view::npos) {
        return Error{quoted + " may not start with '.' or contain '..'"};
    }
    return {};
}

nlohmann::json registry_listing(const std::vector<RegisteredModel>& models) {
    nlohmann::json data = nlohmann::json::array();
    for (const RegisteredModel& model : models) {
        nlohmann::json versions = nlohmann::json::array();
        for (const ModelManifest& manifest : model.versions) {
            versions.push_back(manifest_fields(manifest));
        }
        data.push_back(
            {{"name", model.name},
             {"active_version", model.active_version ? nlohmann::json(*model.active_version)
                                                     : nlohmann::json(nullptr)},
             {"policy", policy_name(model.policy)},
             {"versions", std::move(versions)}});
    }
    return {{"object", "list"}, {"data", std::move(data)}};
}

Migrations registry_migrations() {
    return {
        R"(CREATE TABLE model_versions (
               name TEXT NOT NULL,
               version TEXT NOT NULL,
               sha256 TEXT NOT NULL,
               size_bytes INTEGER NOT NULL,
               architecture TEXT NOT NULL,
               file_type TEXT NOT NULL,
               context_length INTEGER NOT NULL,
               imported_at INTEGER NOT NULL,
               source TEXT NOT NULL,
               PRIMARY KEY (name, version));
           CREATE TABLE models (
               name TEXT PRIMARY KEY,
               active_version TEXT,
               policy TEXT NOT NULL DEFAULT 'specific' CHECK (policy IN ('latest', 'specific')));
           CREATE TABLE activations (
               seq INTEGER PRIMARY KEY AUTOINCREMENT,
               name TEXT NOT NULL,
               version TEXT NOT NULL,
               action TEXT NOT NULL CHECK (action IN ('activate', 'rollback')),
               at INTEGER NOT NULL);
           CREATE TABLE generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
           INSERT INTO generation VALUES (1, 0);)",
    };
}

Result<ModelRegistry> ModelRegistry::open(const fs::path& data_dir) {
    std::error_code ec;
    if (fs::create_directories(data_dir, ec)) {
        fs::permissions(data_dir, fs::perms::owner_all, ec);
    }
    if (ec) return Error{data_dir.string() + ": cannot create the data directory: " + ec.message()};
    Result<Database> db =
        Database::open((data_dir / "registry.db").string(), registry_migrations());
    if (!db) return db.error();
    return ModelRegistry(std::move(*db), data_dir);
}

fs::path ModelRegistry::version_dir(const std::string& name, const std::string& version) const {
    return data_dir_ / "models" / name / version;
}

Result<std::optional<RegisteredModel>> ModelRegistry::find(const std::string& name) {
    auto rows = db_.query("SELECT active_version, policy FROM models WHERE name = ?1", {name});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<RegisteredModel>();
    RegisteredModel model{.name = name};
    const Row& row = rows->front();
    if (std::holds_alternative<std::string>(row[0])) model.active_version = text_of(row[0]);
    model.policy = text_of(row[1]) == "latest" ? VersionPolicy::Latest : VersionPolicy::Specific;
    auto versions = db_.query(std::string("SELECT ") + kVersionColumns +
                                  " FROM model_versions WHERE name = ?1 ORDER BY imported_at, "
                                  "rowid",
                              {name});
    if (!versions) return versions.error();
    for (const Row& version : *versions) model.versions.push_back(manifest_of(version));
    return std::optional<RegisteredModel>(std::move(model));
}

Result<RegisteredModel> ModelRegistry::require(const std::string& name) {
    Result<std::optional<RegisteredModel>> model = find(name);
    if (!model) return model.error();
    if (!*model) return Error{"no model named '" + name + "' (see assistd models list)"};
    return std::move(**model);
}

Result<std::string> ModelRegistry::next_version(const std::string& name) {
    auto rows = db_.query("SELECT version FROM model_versions WHERE name = ?1", {name});
    if (!rows) return rows.error();
    int64_t highest = 0;
    for (const Row& row : *rows) {
        const std::string version = text_of(row[0]);
        if (is_number(version)) highest = std::max<int64_t>(highest, std::stoll(version));
    }
    return std::to_string(highest + 1);
}

Result<ModelManifest> ModelRegistry::import(const std::string& name, const fs::path& file,
                                            std::optional<std::string> version, int64_t now) {
    if (Result<void> valid = validate_registry_name(name, "name"); !valid) return valid.error();
    if (version) {
        if (Result<void> valid = validate_registry_name(*version, "version"); !valid) {
            return valid.error();
        }
    } else {
        Result<std::string> next = next_version(name);
        if (!next) return next.error();
        version = *next;
    }
    std::error_code ec;
    const fs::path source = fs::canonical(file, ec);
    if (ec || !fs::is_regular_file(source)) {
        return Error{file.string() + ": no such model file"};
    }
    const fs::path target = version_dir(name, *version);
    auto existing = db_.query("SELECT 1 FROM model_versions WHERE name = ?1 AND version = ?2",
                              {name, *version});
    if (!existing) return existing.error();
    if (!existing->empty() || fs::exists(target)) {
        return Error{name + " version " + *version +
                     " already exists; versions are immutable: import under a new version"};
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Error{target.parent_path().string() + ": cannot create: " + ec.message()};
    Result<ModelManifest> manifest = stage_version(
        source, target,
        {.name = name, .version = *version, .imported_at = now, .source = source.string()});
    if (!manifest) return manifest.error();
    const ModelManifest& m = *manifest;
    Result<void> recorded = db_.transaction([&]() -> Result<void> {
        auto inserted = db_.execute(std::string("INSERT INTO model_versions (") + kVersionColumns +
                                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                    {m.name, m.version, m.sha256, m.size_bytes, m.architecture,
                                     m.file_type, m.context_length, m.imported_at, m.source});
        if (!inserted) return inserted;
        if (auto added = db_.execute("INSERT OR IGNORE INTO models (name) VALUES (?1)", {name});
            !added) {
            return added;
        }
        auto policy = db_.query("SELECT policy FROM models WHERE name = ?1", {name});
        if (!policy) return policy.error();
        if (text_of(policy->front()[0]) != "latest") return {};
        return record_activation(name, m.version, "activate", now);
    });
    if (!recorded) {
        fs::remove_all(target, ec);
        return recorded.error();
    }
    return manifest;
}

Result<void> ModelRegistry::record_activation(const std::string& name, const std::string& version,
                                              std::string_view action, int64_t now) {
    if (auto set =
            db_.execute("UPDATE models SET active_version = ?2 WHERE name = ?1", {name, version});
        !set) {
        return set;
    }
    if (auto logged = db_.execute(
            "INSERT INTO activations (name, version, action, at) VALUES (?1, ?2, ?3, ?4)",
            {name, version, std::string(action), now});
        !logged) {
        return logged;
    }
    return bump_generation(db_);
}

Result<std::vector<RegisteredModel>> ModelRegistry::list() {
    auto rows = db_.query("SELECT name FROM models ORDER BY name");
    if (!rows) return rows.error();
    std::vector<RegisteredModel> models;
    for (const Row& row : *rows) {
        Result<RegisteredModel> model = require(text_of(row[0]));
        if (!model) return model.error();
        models.push_back(std::move(*model));
    }
    return models;
}

Result<std::vector<Activation>> ModelRegistry::history(const std::string& name) {
    auto rows = db_.query(
        "SELECT version, action, at FROM activations WHERE name = ?1 ORDER BY seq", {name});
    if (!rows) return rows.error();
    std::vector<Activation> entries;
    for (const Row& row : *rows) {
        entries.push_back({text_of(row[0]), text_of(row[1]), integer_of(row[2])});
    }
    return entries;
}

Result<void> ModelRegistry::activate(const std::string& name, const std::string& version,
                                     int64_t now) {
    return db_.transaction([&]() -> Result<void> {
        Result<RegisteredModel> model = require(name);
        if (!model) return model.error();
        if (!has_version(*model, version)) {
            return Error{"model '" + name + "' has no version '" + version + "'"};
        }
        if (model->active_version == version) return {};
        return record_activation(name, version, "activate", now);
    });
}

Result<std::string> ModelRegistry::rollback(const std::string& name, int64_t now) {
    std::string target;
    Result<void> done = db_.transaction([&]() -> Result<void> {
        Result<RegisteredModel> model = require(name);
        if (!model) return model.error();
        Result<std::vector<Activation>> entries = history(name);
        if (!entries) return entries.error();
        std::vector<std::string> stack = activation_stack(*entries);
        if (!stack.empty()) stack.pop_back();  // the version active now
        while (!stack.empty() &&
               (!has_version(*model, stack.back()) || stack.back() == model->active_version)) {
            stack.pop_back();
        }
        if (stack.empty()) {
            return Error{"model '" + name + "' has no earlier active version to roll back to"};
        }
        target = stack.back();
        return record_activation(name, target, "rollback", now);
    });
    if (!done) return done.error();
    return target;
}

Result<void> ModelRegistry::remove(const std::string& name, const std::string& version) {
    Result<void> removed = db_.transaction([&]() -> Result<void> {
        Result<RegisteredModel> model = require(name);
        if (!model) return model.error();
        if (!has_version(*model, version)) {
            return Error{"model '" + name + "' has no version '" + version + "'"};
        }
        if (model->active_version == version) {
            return Error{name + " version " + version +
                         " is active; activate another version (or roll back) first"};
        }
        auto deleted = db_.execute("DELETE FROM model_versions WHERE name = ?1 AND version = ?2",
                                   {name, version});
        if (!deleted) return deleted;
        return bump_generation(db_);
    });
    if (!removed) return removed;
    std::error_code ec;
    fs::remove_all(version_dir(name, version), ec);
    if (ec) return Error{version_dir(name, version).string() + ": " + ec.message()};
    return {};
}

Result<void> ModelRegistry::set_policy(const std::string& name, VersionPolicy policy) {
    return db_.transaction([&]() -> Result<void> {
        Result<RegisteredModel> model = require(name);
        if (!model) return model.error();
        return db_.execute("UPDATE models SET policy = ?2 WHERE name = ?1",
                           {name, std::string(policy_name(policy))});
    });
}

Result<std::vector<ActiveModel>> ModelRegistry::active() {
    auto rows = db_.query(std::string("SELECT ") + kVersionColumns +
                          " FROM model_versions WHERE (name, version) IN "
                          "(SELECT name, active_version FROM models) ORDER BY name");
    if (!rows) return rows.error();
    std::vector<ActiveModel> models;
    for (const Row& row : *rows) {
        ModelManifest manifest = manifest_of(row);
        fs::path file = version_dir(manifest.name, manifest.version) / "model.gguf";
        models.push_back({std::move(manifest), std::move(file)});
    }
    return models;
}

Result<int64_t> ModelRegistry::generation() {
    auto rows = db_.query("SELECT value FROM generation WHERE id = 1");
    if (!rows) return rows.error();
    return rows->empty() ? 0 : integer_of(rows->front()[0]);
}

}  // namespace assistd::store
