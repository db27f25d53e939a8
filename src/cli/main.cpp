#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"

namespace assistd::cli {

int report_error(const std::string& message) {
    std::cerr << "assistd: " << message << '\n';
    return 1;
}

}  // namespace assistd::cli

int main(int argc, char** argv) {
    CLI::App app{"assistd: a self-hosted AI assistant server with its own inference engine"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "assistd 0.1.0");
    int exit_code = 0;
    assistd::cli::add_run_command(app, exit_code);
    assistd::cli::add_tokenize_commands(app, exit_code);
    assistd::cli::add_info_command(app, exit_code);
    assistd::cli::add_bench_command(app, exit_code);
    assistd::cli::add_serve_command(app, exit_code);
    assistd::cli::add_synth_command(app, exit_code);
    assistd::cli::add_quantize_command(app, exit_code);
    assistd::cli::add_keys_command(app, exit_code);
    assistd::cli::add_audit_command(app, exit_code);
    assistd::cli::add_doctor_command(app, exit_code);
    assistd::cli::add_backup_command(app, exit_code);
    assistd::cli::add_models_command(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
