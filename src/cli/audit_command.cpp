// `assistd audit verify [FILE]`: checks the hash chain of the audit log (audit.path of the config
// by default) with every file rotated out of it, oldest first, and says how many lines hold or
// which file and line break it.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "ops/config.h"
#include "security/audit_log.h"
#include "security/audit_log_files.h"

namespace assistd::cli {
namespace {

struct AuditOptions {
    std::optional<std::string> config_file;
    std::optional<std::string> file;
};

int verify(const AuditOptions& options) {
    std::string path;
    if (options.file) {
        path = *options.file;
    } else {
        Result<ops::Config> config =
            ops::load_config({options.config_file, ops::process_environment(), {}});
        if (!config) return report_error(config.error().message);
        path = ops::audit_log_path(*config);
    }
    Result<size_t> lines = security::verify_audit_log(path);
    if (!lines) return report_error(lines.error().message);
    const size_t files = security::audit_log_files(path).size();
    std::cout << path << ": " << *lines << " lines in " << files
              << (files == 1 ? " file" : " files") << ", chain intact\n";
    return 0;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<AuditOptions>();
    CLI::App* audit = app.add_subcommand("audit", "Work with the audit log");
    audit->require_subcommand(1);
    CLI::App* check = audit->add_subcommand("verify", "Check the audit log's hash chain");
    check->add_option("file", options->file, "The log (default: audit.path of the config)");
    check->add_option("-c,--config", options->config_file, "config.yaml");
    check->callback([options, &exit_code] { exit_code = verify(*options); });
}

}  // namespace assistd::cli
