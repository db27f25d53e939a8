// `assistd doctor [-c FILE]`: every check serve depends on, one line each, before serve fails
// on it. Exit status 1 when any check fails; warnings leave it 0.
#include <cstdio>
#include <memory>
#include <vector>

#include "cli/commands.h"
#include "ops/config.h"
#include "ops/doctor/checks.h"
#include "ops/host_memory.h"

namespace assistd::cli {
namespace {

using ops::doctor::CheckResult;

std::vector<CheckResult> run_checks(const ops::Config& config) {
    std::optional<int64_t> model_bytes;
    std::vector<CheckResult> results;
    results.push_back(ops::doctor::check_model(config.model.path, model_bytes));
    results.push_back(
        ops::doctor::check_memory(config.model, model_bytes, ops::available_memory_bytes()));
    results.push_back(ops::doctor::check_cpu());
    results.push_back(ops::doctor::check_port(config.service));
    results.push_back(ops::doctor::check_exposure(config.service));
    results.push_back(ops::doctor::check_tls(config.service));
    results.push_back(ops::doctor::check_data_dir(config.storage));
    results.push_back(ops::doctor::check_redis(config.cache));
    return results;
}

int doctor(const std::optional<std::string>& config_file) {
    Result<ops::Config> config =
        ops::load_config({.file = config_file, .environment = ops::process_environment()});
    const std::string source = config_file.value_or("built-in defaults");
    if (!config) {
        std::fputs(format(CheckResult::fail("config", config.error().message,
                                            "correct the key named above"))
                       .c_str(),
                   stdout);
        return 1;
    }
    std::fputs(format(CheckResult::ok("config", source + " is valid")).c_str(), stdout);
    bool failed = false;
    for (const CheckResult& result : run_checks(*config)) {
        std::fputs(format(result).c_str(), stdout);
        failed |= result.verdict == ops::doctor::Verdict::fail;
    }
    return failed ? 1 : 0;
}

}  // namespace

void add_doctor_command(CLI::App& app, int& exit_code) {
    auto config_file = std::make_shared<std::optional<std::string>>();
    CLI::App* cmd = app.add_subcommand("doctor",
                                       "Check config, model, memory, CPU, port, TLS, "
                                       "data directory and Redis before serving");
    cmd->add_option("-c,--config", *config_file, "config.yaml (default: built-in defaults)");
    cmd->callback([config_file, &exit_code] { exit_code = doctor(*config_file); });
}

}  // namespace assistd::cli
