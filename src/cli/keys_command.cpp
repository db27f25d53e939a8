// `assistd keys create|list|revoke|rotate`: credentials in the store of storage.data_dir.
// A new secret is printed once, alone on stdout (so scripts can capture it); everything else
// goes to stderr.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/credential_files.h"
#include "security/credential_issuer.h"

namespace assistd::cli {
namespace {

constexpr int64_t kDay = 86'400;

struct KeysOptions {
    std::optional<std::string> config_file;
    // create
    std::string name = "unnamed";
    std::string scopes;
    std::string models;
    int64_t expires_days = 0;
    int64_t requests_per_minute = 0;
    int64_t tokens_per_minute = 0;
    int64_t max_concurrent = 0;
    bool secret_pair = false;
    // revoke, rotate
    std::string id;
    double grace_hours = 24;
};

Result<ops::Config> keys_config(const KeysOptions& options) {
    return ops::load_config({options.config_file, ops::process_environment(), {}});
}

// The secret of a new credential: a bearer key alone, or "SecretId SecretKey".
void print_secret(const security::IssuedCredential& issued) {
    if (issued.record.kind == "secret_pair") {
        std::cout << issued.record.id << ' ' << issued.secret << '\n';
    } else {
        std::cout << issued.secret << '\n';
    }
    std::cerr << "created " << issued.record.id << " (" << issued.record.scopes
              << "); the secret above is shown once and never stored: keep it now\n";
}

int run_keys(const std::string& action, const KeysOptions& options) {
    Result<ops::Config> config = keys_config(options);
    if (!config) return report_error(config.error().message);
    Result<CredentialFiles> files = open_credential_files(*config);
    if (!files) return report_error(files.error().message);
    security::CredentialIssuer issuer(files->store, *files->sealer);
    const int64_t now = unix_now();

    if (action == "create") {
        Result<security::ScopeSet> scopes = security::ScopeSet::parse(options.scopes);
        if (!scopes) return report_error("--scopes: " + scopes.error().message);
        if (scopes->empty()) return report_error("--scopes: name at least one scope, or all");
        security::CredentialSpec spec{
            .name = options.name,
            .scopes = *scopes,
            .models = security::split_models(options.models),
            .requests_per_minute = options.requests_per_minute,
            .tokens_per_minute = options.tokens_per_minute,
            .max_concurrent = options.max_concurrent};
        if (options.expires_days > 0) spec.expires_at = now + options.expires_days * kDay;
        auto issued = options.secret_pair ? issuer.create_secret_pair(spec, now)
                                          : issuer.create_api_key(spec, now);
        if (!issued) return report_error(issued.error().message);
        print_secret(*issued);
        return 0;
    }
    if (action == "rotate") {
        auto issued = issuer.rotate(options.id, static_cast<int64_t>(options.grace_hours * 3600), now);
        if (!issued) return report_error(issued.error().message);
        print_secret(*issued);
        std::cerr << options.id << " stays valid for " << options.grace_hours << " h\n";
        return 0;
    }
    if (action == "revoke") {
        Result<bool> revoked = files->store.revoke(options.id, now);
        if (!revoked) return report_error(revoked.error().message);
        if (!*revoked) return report_error("no active credential " + options.id);
        std::cerr << "revoked " << options.id << '\n';
        return 0;
    }
    auto records = files->store.list();
    if (!records) return report_error(records.error().message);
    security::Authenticator auth(files->store, *files->sealer, auth_policy(config->auth));
    std::cout << "id\tkind\tname\tstatus\tscopes\tmodels\texpires_at\n";
    for (const store::CredentialRecord& record : *records) {
        std::cout << record.id << '\t' << record.kind << '\t' << record.name << '\t'
                  << auth.status(record, now) << '\t' << record.scopes << '\t'
                  << (record.models.empty() ? "*" : record.models) << '\t'
                  << (record.expires_at ? std::to_string(*record.expires_at) : "never") << '\n';
    }
    return 0;
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<KeysOptions>();
    CLI::App* keys = app.add_subcommand("keys", "Create, list, rotate and revoke credentials");
    keys->require_subcommand(1);
    keys->add_option("-c,--config", options->config_file, "config.yaml (storage.data_dir, auth.*)");

    CLI::App* create = keys->add_subcommand("create", "Create an API key (or a SecretId pair)");
    create->add_option("--name", options->name, "A label for people");
    create->add_option("--scopes", options->scopes,
                       "model:invoke, audio:invoke, logs:write, metrics:read, admin:keys, "
                       "admin:models, admin:backup (comma separated), or all")
        ->required();
    create->add_option("--models", options->models, "Allowed model ids, comma separated (any)");
    create->add_option("--expires-days", options->expires_days, "Days until it expires (never)");
    create->add_option("--rpm", options->requests_per_minute, "Requests per minute (unlimited)");
    create->add_option("--tpm", options->tokens_per_minute, "Tokens per minute (unlimited)");
    create->add_option("--concurrency", options->max_concurrent, "Requests in flight (unlimited)");
    create->add_flag("--secret-pair", options->secret_pair,
                     "A SecretId/SecretKey pair for signed requests instead of a bearer key");

    keys->add_subcommand("list", "List credentials (never their secrets)");
    CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a credential and its sessions now");
    revoke->add_option("id", options->id, "Credential id (ak_..., sid_...)")->required();
    CLI::App* rotate = keys->add_subcommand("rotate", "Issue a successor; the old one lasts the grace");
    rotate->add_option("id", options->id, "Credential id (ak_..., sid_...)")->required();
    rotate->add_option("--grace-hours", options->grace_hours, "Hours the old one stays valid");

    keys->callback([keys, options, &exit_code] {
        for (const char* action : {"create", "list", "revoke", "rotate"}) {
            if (keys->got_subcommand(action)) exit_code = run_keys(action, *options);
        }
    });
}

}  // namespace assistd::cli
