// `assistd serve`: loads config.yaml (with environment and flag overrides), and serves model.path
// and the model registry's active versions over the OpenAI-compatible HTTP API until
// SIGTERM/SIGINT. Here is how a model file becomes a served model; server/ decides when.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "api/model_cards.h"
#include "api/request_limits.h"
#include "cli/commands.h"
#include "cli/credential_files.h"
#include "engine/model/model.h"
#include "engine/model/synthetic_model.h"
#include "ops/config.h"
#include "ops/host_memory.h"
#include "ops/log_setup.h"
#include "server/serve.h"
#include "server/supervisor.h"

namespace assistd::cli {
namespace {

struct ServeOptions {
    std::optional<std::string> config_file;
    ops::CommandLineOverrides overrides;
    bool check_only = false;
};

// The KV budget when the config leaves it to us: every batch slot's full context, but no more than
// half of the memory available now — and never less than one full context, which must fit.
int64_t default_kv_cache_bytes(const Model& model, const SchedulerOptions& options) {
    const int64_t one_context =
        KvBlockPool::blocks_for(options.n_ctx) * KvBlockPool::block_bytes(model.hparams());
    const int64_t every_slot = one_context * options.max_batch_size;
    const std::optional<int64_t> available = ops::available_memory_bytes();
    if (!available) return every_slot;
    return std::max(one_context, std::min(every_slot, *available / 2));
}

SchedulerOptions scheduler_options(const ops::Config& config, const Model& model) {
    SchedulerOptions options;
    options.threads = config.model.threads > 0
                          ? config.model.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    options.max_queued = config.service.max_queued_requests;
    options.max_batch_size = config.model.max_batch_size;
    options.prefill_chunk = config.model.prefill_chunk;
    options.n_ctx = model.context_size(config.model.n_ctx);
    options.kv_cache_bytes = config.model.kv_cache_bytes > 0
                                 ? config.model.kv_cache_bytes
                                 : default_kv_cache_bytes(model, options);
    return options;
}

security::AlertSettings alert_settings(const ops::Config& config) {
    const ops::AlertsConfig& alerts = config.alerts;
    auto ms = [](double seconds) { return static_cast<int64_t>(seconds * 1000); };
    return {.path = ops::alerts_path(config),
            .webhook = alerts.webhook,
            .webhook_timeout = std::chrono::milliseconds(ms(alerts.webhook_timeout_seconds)),
            .rules = {.auth_failures = alerts.auth_failures_count,
                      .auth_failures_window_ms = ms(alerts.auth_failures_window_seconds),
                      .error_rate = alerts.error_rate_ratio,
                      .error_rate_window_ms = ms(alerts.error_rate_window_seconds),
                      .latency_p95_ms = alerts.latency_p95_ms,
                      .latency_window_ms = ms(alerts.latency_window_seconds),
                      .min_requests = alerts.min_requests}};
}

cache::CacheSettings cache_settings(const ops::CacheConfig& config) {
    cache::CacheSettings settings;
    settings.backend = config.backend == "redis" ? cache::CacheBackend::Redis
                       : config.backend == "off" ? cache::CacheBackend::Off
                                                 : cache::CacheBackend::Memory;
    settings.ttl = std::chrono::seconds(config.ttl_seconds);
    settings.max_bytes = static_cast<uint64_t>(config.max_bytes);
    settings.redis_url = config.redis_url;
    return settings;
}

server::ServeSettings settings_from(const ops::Config& config) {
    using std::chrono::milliseconds;
    const auto ms = [](double seconds) {
        return milliseconds(static_cast<int64_t>(seconds * 1e3));
    };
    server::ServeSettings settings;
    settings.host = config.service.host;
    settings.port = config.service.port;
    settings.limits.max_body_bytes = config.service.max_body_bytes;
    settings.limits.max_header_bytes = config.service.max_header_bytes;
    settings.limits.read_timeout = ms(config.service.read_timeout_seconds);
    settings.limits.idle_timeout = ms(config.service.idle_timeout_seconds);
    settings.limits.write_timeout = ms(config.service.write_timeout_seconds);
    settings.shutdown_deadline = ms(config.service.shutdown_deadline_seconds);
    settings.public_metrics = config.auth.public_metrics;
    settings.tls = {.cert_file = config.service.tls_cert,
                    .key_file = config.service.tls_key,
                    .min_version = config.service.tls_min_version};
    settings.alerts = alert_settings(config);
    settings.cache = cache_settings(config.cache);
    return settings;
}

api::RequestLimits request_limits(const ops::ModelConfig& config, const Model& model,
                                  const std::string& id) {
    api::RequestLimits limits;
    limits.model_id = id;
    limits.n_vocab = static_cast<int32_t>(model.hparams().n_vocab);
    limits.n_ctx = model.context_size(config.n_ctx);
    limits.max_n = config.max_n;
    limits.max_tokens_limit = config.max_tokens_limit;
    limits.default_max_tokens = config.default_max_tokens;
    return limits;
}

std::string chat_template_of(const gguf::GgufFile& file) {
    if (!file.has("tokenizer.chat_template")) return "";
    Result<std::string_view> text = file.get_string("tokenizer.chat_template");
    return text ? std::string(*text) : "";
}

// When the model file was written, as /v1/models reports it (Unix seconds).
int64_t file_time(const std::string& path) {
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(path, ec);
    if (ec) return 0;
    const auto system = std::chrono::file_clock::to_sys(written);
    return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

// What changes when the weights do, for the response cache: hashing a multi-gigabyte file at
// every start would cost seconds, and replacing a model file changes its size or time anyway.
std::string model_version(const std::string& path) {
    if (path.empty()) return "builtin";
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return std::filesystem::absolute(path).string() + ":" + std::to_string(ec ? 0 : size) + ":" +
           std::to_string(file_time(path));
}

// The configured model.path, or the built-in model when there is none.
server::ModelSource configured_source(const ops::ModelConfig& config) {
    const bool builtin = config.path.empty();
    return {.name = ops::served_model_id(config),
            .file = config.path,
            .created = builtin ? std::time(nullptr) : file_time(config.path)};
}

std::string description_of(const server::ModelSource& source) {
    if (source.file.empty()) return api::builtin_model_description();
    if (source.version.empty()) return "GGUF model " + source.file;
    return "version " + source.version + " of " + source.name + " (sha256 " + source.sha256 + ")";
}

// Loads one model (the configured one or a registry version) as the configuration says.
Result<server::PreparedModel> prepare_model(const ops::Config& config,
                                            const server::ModelSource& source) {
    const bool builtin = source.file.empty();
    if (builtin) spdlog::warn("no model.path configured: serving the built-in random-weight model");
    const auto load_start = std::chrono::steady_clock::now();
    const ModelOptions options{.compute_from_mapping = config.model.mmap};
    Result<std::unique_ptr<Model>> model =
        builtin ? builtin_tiny_model(options) : load_model(source.file, options);
    if (!model) return model.error();
    const double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf((*model)->file());
    if (!tokenizer) return tokenizer.error();

    server::PreparedModel prepared;
    prepared.model = std::move(*model);
    prepared.tokenizer = std::make_unique<Tokenizer>(std::move(*tokenizer));
    server::ServedModel& served = prepared.served;
    served.card = {source.name, source.created, description_of(source)};
    served.answered_as = source.version.empty() ? source.name : source.name + ":" + source.version;
    served.model = prepared.model.get();
    served.tokenizer = prepared.tokenizer.get();
    served.token_trie = std::make_shared<const TokenTrie>(*prepared.tokenizer);
    served.chat_template = chat_template_of(prepared.model->file());
    served.limits = request_limits(config.model, *prepared.model, source.name);
    // A registry version's digest names its bytes exactly.
    served.version = source.sha256.empty() ? model_version(source.file) : source.sha256;
    served.load_seconds = load_seconds;
    prepared.scheduler = scheduler_options(config, *prepared.model);
    return prepared;
}

// A first start has no credentials, and every API route answers 401 until one exists. The server
// does not mint an admin key itself: a secret printed to a log outlives the terminal it was meant
// for. It says how to create one instead; keys created while it runs work at once.
void announce_missing_keys(store::CredentialStore& store, const std::optional<std::string>& file) {
    auto keys = store.list();
    if (keys && !keys->empty()) return;
    const std::string config = file ? " -c " + *file : "";
    spdlog::warn(
        "no API keys yet: every route but /healthz and /readyz answers 401. Create one "
        "with:\n    assistd keys create{} --name admin --scopes all",
        config);
}

// Opens the credentials and the audit log (per process: SQLite connections must not cross a
// fork) and serves the configured model and the registry's; `worker` set when this is one of the
// master's workers. Each worker loads its models itself: they are file mappings, so the workers
// share their pages through the page cache, and registry versions change while workers run anyway.
int serve_models(const ops::Config& config, const std::optional<std::string>& config_file,
                 server::WorkerLink* worker) {
    server::ServeSettings settings = settings_from(config);
    settings.worker = worker;
    server::ServeModels models{
        .loader =
            [config](const server::ModelSource& source) { return prepare_model(config, source); },
        .configured = configured_source(config.model),
        .configured_only_without_registry = config.model.path.empty(),
        .data_dir = config.storage.data_dir};
    Result<CredentialFiles> credentials = open_credential_files(config);
    if (!credentials) return report_error(credentials.error().message);
    Result<std::unique_ptr<security::AuditLog>> audit = security::AuditLog::open(
        ops::audit_log_path(config),
        {.max_bytes = config.audit.max_bytes, .daily = config.audit.rotate_daily});
    if (!audit) return report_error(audit.error().message);
    if (!config.auth.enabled) {
        spdlog::warn("auth.enabled is false: every route is open to anyone who can connect");
        return server::serve(settings, std::move(models), {.audit = audit->get()});
    }
    announce_missing_keys(credentials->store, config_file);
    security::Authenticator authenticator(credentials->store, *credentials->sealer,
                                          auth_policy(config.auth));
    security::CredentialIssuer issuer(credentials->store, *credentials->sealer);
    return server::serve(settings, std::move(models),
                         {&authenticator, &issuer, &credentials->store, audit->get()});
}

// With service.workers > 1: what the master reads at start and again on SIGHUP. A model that does
// not load makes the new workers fail before they are ready, which keeps the old ones serving.
Result<server::WorkerPlan> worker_plan(const ops::ConfigSources& sources) {
    Result<ops::Config> config = ops::load_config(sources);
    if (!config) return config.error();
    const ops::ServiceConfig& service = config->service;
    return server::WorkerPlan{
        .host = service.host,
        .port = static_cast<uint16_t>(service.port),
        .workers = service.workers,
        .watchdog = std::chrono::milliseconds(static_cast<int64_t>(service.watchdog_seconds * 1e3)),
        .serve = [config = *config, file = sources.file](server::WorkerLink& link) {
            return serve_models(config, file, &link);
        }};
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
    const ops::LoggingConfig& logging = config->logging;
    const bool workers = config->service.workers > 1;
    if (Result<void> logs =
            ops::set_up_logging({.level = logging.level,
                                 .file = logging.file,
                                 .max_bytes = static_cast<uint64_t>(logging.max_bytes),
                                 .max_files = static_cast<uint32_t>(logging.max_files),
                                 .json = logging.format == "json",
                                 .with_pid = workers});
        !logs) {
        return report_error(logs.error().message);
    }
    if (workers) return server::supervise([sources] { return worker_plan(sources); });
    return serve_models(*config, options.config_file, nullptr);
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ServeOptions>();
    CLI::App* cmd = app.add_subcommand("serve", "Serve the model over an OpenAI-compatible API");
    cmd->add_option("-c,--config", options->config_file,
                    "config.yaml (default: built-in defaults)");
    cmd->add_option("--host", options->overrides.host, "Address to listen on (service.host)");
    cmd->add_option("--port", options->overrides.port, "Port, 0 for any free one (service.port)");
    cmd->add_option("-m,--model", options->overrides.model, "GGUF model file (model.path)");
    cmd->add_flag("--check-config", options->check_only, "Validate the configuration and exit");
    cmd->callback([options, &exit_code] { exit_code = serve(*options); });
}

}  // namespace assistd::cli
