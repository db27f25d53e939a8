// `assistd backup create|list|verify|prune|restore`: archives of this node's state (databases,
// master key, audit and alert logs, model manifests, the configuration) and their retention, and
// restoring one into an empty data directory. See store/backup/ for what an archive holds.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "ops/config.h"
#include "security/audit_log_files.h"
#include "store/backup/backup_reader.h"
#include "store/backup/backup_retention.h"
#include "store/backup/backup_writer.h"

namespace assistd::cli {
namespace {

namespace fs = std::filesystem;

struct BackupOptions {
    std::optional<std::string> config_file;
    std::optional<std::string> dir;  // --to for create, --dir for list and prune
    std::optional<std::string> target;
    std::optional<int> keep;
    std::string file;
    bool with_models = false;
};

Result<ops::Config> load(const BackupOptions& options) {
    return ops::load_config({options.config_file, ops::process_environment(), {}});
}

std::string host_name() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? name : "";
}

std::string utc_time(int64_t unix_seconds) {
    const auto seconds = static_cast<time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::ostringstream text;
    text << std::put_time(&utc, "%Y-%m-%d %H:%M:%S UTC");
    return text.str();
}

std::string human_bytes(uint64_t bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1);
    if (bytes < (1 << 20)) {
        text << static_cast<double>(bytes) / 1024 << " KiB";
    } else {
        text << static_cast<double>(bytes) / (1 << 20) << " MiB";
    }
    return text.str();
}

bool is_inside(const fs::path& path, const fs::path& dir) {
    const fs::path canonical_dir = fs::weakly_canonical(dir);
    const fs::path relative = fs::weakly_canonical(path).lexically_relative(canonical_dir);
    return !relative.empty() && *relative.begin() != "..";
}

// State the configuration keeps outside the data directory, under a folder name of its own.
std::vector<store::ExtraFile> files_outside_data_dir(
    const ops::Config& config, const std::optional<std::string>& config_file) {
    std::vector<store::ExtraFile> extra;
    const auto add = [&](const std::string& folder, const std::string& path) {
        std::error_code ec;
        if (path.empty() || !fs::exists(path, ec) || is_inside(path, config.storage.data_dir)) {
            return;
        }
        extra.push_back({folder + "/" + fs::path(path).filename().string(), path});
    };
    if (config_file) add("config", *config_file);
    for (const std::string& file : security::audit_log_files(ops::audit_log_path(config))) {
        add("audit", file);
    }
    add("alerts", ops::alerts_path(config));
    add("keys", ops::master_key_path(config));
    return extra;
}

int create(const BackupOptions& options) {
    Result<ops::Config> config = load(options);
    if (!config) return report_error(config.error().message);
    const std::string backup_dir = options.dir.value_or(config->backup.dir);
    store::BackupPlan plan;
    plan.data_dir = config->storage.data_dir;
    plan.extra_files = files_outside_data_dir(*config, options.config_file);
    plan.excluded = {backup_dir};
    plan.with_models = options.with_models;
    plan.backup_dir = backup_dir;
    plan.now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    plan.host = host_name();
    Result<store::CreatedBackup> created = store::create_backup(plan);
    if (!created) return report_error(created.error().message);
    for (const std::string& skipped : created->skipped) {
        std::cerr << "assistd: left out " << skipped << ": not a regular file\n";
    }
    if (std::getenv("ASSISTD_MASTER_KEY") != nullptr) {
        std::cerr << "assistd: the master key comes from ASSISTD_MASTER_KEY and is not in the "
                     "backup: keep it with your other secrets, restored secret keys need it\n";
    }
    std::error_code ec;
    std::cout << created->path << ": " << created->files << " files, "
              << human_bytes(created->bytes) << " ("
              << human_bytes(fs::file_size(created->path, ec)) << " compressed)\n";
    return 0;
}

int list(const BackupOptions& options) {
    Result<ops::Config> config = load(options);
    if (!config) return report_error(config.error().message);
    Result<std::vector<store::BackupFile>> backups =
        store::list_backups(options.dir.value_or(config->backup.dir));
    if (!backups) return report_error(backups.error().message);
    for (const store::BackupFile& backup : *backups) {
        std::cout << utc_time(backup.stamp.created_at) << "  " << std::setw(10)
                  << human_bytes(backup.bytes) << "  " << backup.path << '\n';
    }
    return 0;
}

int verify(const BackupOptions& options) {
    Result<store::BackupManifest> manifest = store::verify_backup(options.file);
    if (!manifest) return report_error(manifest.error().message);
    std::cout << options.file << ": " << manifest->entries.size() << " files intact (backup of "
              << (manifest->host.empty() ? "unknown host" : manifest->host) << " taken "
              << utc_time(manifest->created_at) << ")\n";
    return 0;
}

int prune(const BackupOptions& options) {
    Result<ops::Config> config = load(options);
    if (!config) return report_error(config.error().message);
    const int keep = options.keep.value_or(config->backup.keep);
    if (keep < 1) return report_error("--keep must be at least 1");
    Result<std::vector<store::BackupFile>> removed =
        store::prune_backups(options.dir.value_or(config->backup.dir), static_cast<size_t>(keep));
    if (!removed) return report_error(removed.error().message);
    for (const store::BackupFile& backup : *removed) std::cout << "deleted " << backup.path << '\n';
    std::cout << "kept the newest " << keep << '\n';
    return 0;
}

int restore(const BackupOptions& options) {
    Result<ops::Config> config = load(options);
    if (!config) return report_error(config.error().message);
    const std::string target = options.target.value_or(config->storage.data_dir);
    Result<store::BackupManifest> manifest = store::restore_backup(options.file, target);
    if (!manifest) return report_error(manifest.error().message);
    std::cout << "restored " << manifest->entries.size() << " files into " << target
              << " (backup of " << (manifest->host.empty() ? "unknown host" : manifest->host)
              << " taken " << utc_time(manifest->created_at) << ")\n";
    for (const store::BackupEntry& entry : manifest->entries) {
        const std::string path = store::restored_path(entry.path);
        if (path.starts_with("restored/")) {
            std::cout << "  kept outside the data directory before: "
                      << (fs::path(target) / path).string()
                      << " — move it where your configuration points\n";
        }
    }
    return 0;
}

}  // namespace

void add_backup_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<BackupOptions>();
    CLI::App* backup = app.add_subcommand("backup", "Back up and restore this node's state");
    backup->require_subcommand(1);
    const auto with_config = [&](CLI::App* command) {
        command->add_option("-c,--config", options->config_file, "config.yaml");
        return command;
    };
    const auto run = [options, &exit_code](int (*command)(const BackupOptions&)) {
        return [options, &exit_code, command] { exit_code = command(*options); };
    };

    CLI::App* make = with_config(backup->add_subcommand(
        "create", "Write a backup archive of keys, registry, config, logs and model manifests"));
    make->add_option("--to", options->dir, "Directory for the archive (default: backup.dir)");
    make->add_flag("--with-models", options->with_models, "Include the model files themselves");
    make->callback(run(create));

    CLI::App* listing = with_config(backup->add_subcommand("list", "List backup archives"));
    listing->add_option("--dir", options->dir, "Directory of archives (default: backup.dir)");
    listing->callback(run(list));

    CLI::App* check = backup->add_subcommand("verify", "Check every file of an archive");
    check->add_option("file", options->file, "The archive")->required();
    check->callback(run(verify));

    CLI::App* trim = with_config(
        backup->add_subcommand("prune", "Delete all but the newest archives (backup.keep)"));
    trim->add_option("--keep", options->keep, "How many to keep (default: backup.keep)");
    trim->add_option("--dir", options->dir, "Directory of archives (default: backup.dir)");
    trim->callback(run(prune));

    CLI::App* back = with_config(
        backup->add_subcommand("restore", "Unpack an archive into an empty data directory"));
    back->add_option("file", options->file, "The archive")->required();
    back->add_option("--to", options->target, "Empty or new directory (default: storage.data_dir)");
    back->callback(run(restore));
}

}  // namespace assistd::cli
