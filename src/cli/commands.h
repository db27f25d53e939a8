// The `assistd` subcommands. Each registers itself on the app; its callback stores the process
// exit code in `exit_code` (0 on success, 1 on an error already reported on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace assistd::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_tokenize_commands(CLI::App& app, int& exit_code);  // tokenize, detokenize
void add_info_command(CLI::App& app, int& exit_code);
void add_bench_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_synth_command(CLI::App& app, int& exit_code);
void add_quantize_command(CLI::App& app, int& exit_code);
void add_keys_command(CLI::App& app, int& exit_code);   // keys create|list|revoke|rotate
void add_audit_command(CLI::App& app, int& exit_code);  // audit verify
void add_doctor_command(CLI::App& app, int& exit_code);
void add_backup_command(CLI::App& app, int& exit_code);  // backup create|list|verify|prune|restore
// models import|list|activate|rollback|remove|policy
void add_models_command(CLI::App& app, int& exit_code);

// Prints "assistd: <message>" on stderr and returns the error exit code.
int report_error(const std::string& message);

}  // namespace assistd::cli
