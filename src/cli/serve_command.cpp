// `assistd serve`: loads config.yaml (with environment and flag overrides), loads the model and
// serves it over the OpenAI-compatible HTTP API until SIGTERM/SIGINT.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "engine/model/model.h"
#include "ops/config.h"
#include "server/serve.h"

namespace assistd::cli {
namespace {

struct ServeOptions {
    std::optional<std::string> config_file;
    ops::CommandLineOverrides overrides;
    bool check_only = false;
};

server::ServeSettings settings_from(const ops::Config& config) {
    using std::chrono::milliseconds;
    const auto ms = [](double seconds) { return milliseconds(static_cast<int64_t>(seconds * 1e3)); };
    server::ServeSettings settings;
    settings.host = config.service.host;
    settings.port = config.service.port;
    settings.limits.max_body_bytes = config.service.max_body_bytes;
    settings.limits.max_header_bytes = config.service.max_header_bytes;
    settings.limits.read_timeout = ms(config.service.read_timeout_seconds);
    settings.limits.idle_timeout = ms(config.service.idle_timeout_seconds);
    settings.limits.write_timeout = ms(config.service.write_timeout_seconds);
    settings.shutdown_deadline = ms(config.service.shutdown_deadline_seconds);
    settings.max_queued = config.service.max_queued_requests;
    settings.threads = config.model.threads > 0
                           ? config.model.threads
                           : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return settings;
}

int serve(const ServeOptions& options) {
    const ops::ConfigSources sources{options.config_file, ops::process_environment(),
                                     options.overrides};
    if (options.check_only) {
        Result<std::string> summary = ops::check_config(sources);
        if (!summary) return report_error(summary.error().message);
        std::cout << *summary;
        return 0;
    }
    Result<ops::Config> config = ops::load_config(sources);
    if (!config) return report_error(config.error().message);
    spdlog::set_level(spdlog::level::from_str(config->logging.level));
    if (config->service.workers > 1) {
        spdlog::warn("service.workers is {}: this build serves from one process", 
                     config->service.workers);
    }

    server::ServedModel served;
    served.id = ops::served_model_id(config->model);
    std::unique_ptr<Model> model;
    if (config->model.path.empty()) {
        return report_error("model.path is empty and the built-in model is not available yet");
    }
    Result<std::unique_ptr<Model>> loaded = load_model(config->model.path);
    if (!loaded) return report_error(loaded.error().message);
    model = std::move(*loaded);
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf(model->file());
    if (!tokenizer) return report_error(tokenizer.error().message);
    served.description = "GGUF model " + config->model.path;
    served.model = model.get();
    served.tokenizer = &*tokenizer;
    served.n_ctx = model->new_sequence(config->model.n_ctx).kv.n_ctx();
    return server::serve(settings_from(*config), served);
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ServeOptions>();
    CLI::App* cmd = app.add_subcommand("serve", "Serve the model over an OpenAI-compatible API");
    cmd->add_option("-c,--config", options->config_file, "config.yaml (default: built-in defaults)");
    cmd->add_option("--host", options->overrides.host, "Address to listen on (service.host)");
    cmd->add_option("--port", options->overrides.port, "Port, 0 for any free one (service.port)");
    cmd->add_option("-m,--model", options->overrides.model, "GGUF model file (model.path)");
    cmd->add_flag("--check-config", options->check_only, "Validate the configuration and exit");
    cmd->callback([options, &exit_code] { exit_code = serve(*options); });
}

}  // namespace assistd::cli
