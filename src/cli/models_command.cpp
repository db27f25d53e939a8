// `assistd models import|list|activate|rollback|remove|policy`: the model registry of
// storage.data_dir. A running server notices every change within about a second.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/credential_files.h"
#include "ops/config.h"
#include "store/model_registry.h"

namespace assistd::cli {
namespace {

struct ModelsOptions {
    std::optional<std::string> config_file;
    std::string name;
    std::string file;
    std::optional<std::string> version;
    std::string policy;
    bool json = false;
};

void print_table(const std::vector<store::RegisteredModel>& models) {
    std::cout << "name\tversion\tactive\tpolicy\tsha256\tsize\tarchitecture\tfile_type\tcontext\n";
    for (const store::RegisteredModel& model : models) {
        for (const store::ModelManifest& m : model.versions) {
            std::cout << model.name << '\t' << m.version << '\t'
                      << (model.active_version == m.version ? "*" : "") << '\t'
                      << store::policy_name(model.policy) << '\t' << m.sha256.substr(0, 12) << '\t'
                      << m.size_bytes << '\t' << m.architecture << '\t' << m.file_type << '\t'
                      << m.context_length << '\n';
        }
    }
}

int run_models(const std::string& action, const ModelsOptions& options) {
    Result<ops::Config> config =
        ops::load_config({options.config_file, ops::process_environment(), {}});
    if (!config) return report_error(config.error().message);
    Result<store::ModelRegistry> registry = store::ModelRegistry::open(config->storage.data_dir);
    if (!registry) return report_error(registry.error().message);
    const int64_t now = unix_now();

    if (action == "import") {
        Result<store::ModelManifest> m =
            registry->import(options.name, options.file, options.version, now);
        if (!m) return report_error(m.error().message);
        std::cout << m->name << ' ' << m->version << '\n';
        std::cerr << "imported " << m->name << " version " << m->version << " (" << m->architecture
                  << ", " << m->file_type << ", sha256 " << m->sha256 << ")\n";
        return 0;
    }
    if (action == "activate") {
        if (Result<void> done = registry->activate(options.name, *options.version, now); !done) {
            return report_error(done.error().message);
        }
        std::cerr << options.name << " version " << *options.version << " is active\n";
        return 0;
    }
    if (action == "rollback") {
        Result<std::string> version = registry->rollback(options.name, now);
        if (!version) return report_error(version.error().message);
        std::cerr << options.name << " rolled back to version " << *version << '\n';
        return 0;
    }
    if (action == "remove") {
        if (Result<void> done = registry->remove(options.name, *options.version); !done) {
            return report_error(done.error().message);
        }
        std::cerr << "removed " << options.name << " version " << *options.version << '\n';
        return 0;
    }
    if (action == "policy") {
        Result<store::VersionPolicy> policy = store::parse_policy(options.policy);
        if (!policy) return report_error(policy.error().message);
        if (Result<void> done = registry->set_policy(options.name, *policy); !done) {
            return report_error(done.error().message);
        }
        return 0;
    }
    Result<std::vector<store::RegisteredModel>> models = registry->list();
    if (!models) return report_error(models.error().message);
    if (!options.json) {
        print_table(*models);
        return 0;
    }
    std::cout << store::registry_listing(*models).dump(2) << '\n';
    return 0;
}

}  // namespace

void add_models_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ModelsOptions>();
    CLI::App* models =
        app.add_subcommand("models", "Import, activate and roll back model versions");
    models->require_subcommand(1);
    models->add_option("-c,--config", options->config_file, "config.yaml (storage.data_dir)");

    CLI::App* import = models->add_subcommand("import", "Import a GGUF file as a new version");
    import->add_option("name", options->name, "Model name ([A-Za-z0-9._-])")->required();
    import->add_option("file", options->file, "GGUF file")->required();
    import->add_option("--version", options->version, "Version (default: the next integer)");
    CLI::App* list = models->add_subcommand("list", "List models and their versions");
    list->add_flag("--json", options->json, "As JSON");
    CLI::App* activate = models->add_subcommand("activate", "Serve this version of the model");
    activate->add_option("name", options->name, "Model name")->required();
    activate->add_option("version", options->version, "Version")->required();
    CLI::App* rollback =
        models->add_subcommand("rollback", "Serve the version that was active before this one");
    rollback->add_option("name", options->name, "Model name")->required();
    CLI::App* remove = models->add_subcommand("remove", "Delete a version that is not active");
    remove->add_option("name", options->name, "Model name")->required();
    remove->add_option("version", options->version, "Version")->required();
    CLI::App* policy = models->add_subcommand(
        "policy", "latest: each import is activated; specific: only what you activate");
    policy->add_option("name", options->name, "Model name")->required();
    policy->add_option("policy", options->policy, "latest or specific")
        ->required()
        ->check(CLI::IsMember({"latest", "specific"}));

    models->callback([models, options, &exit_code] {
        for (const char* action : {"import", "list", "activate", "rollback", "remove", "policy"}) {
            if (models->got_subcommand(action)) exit_code = run_models(action, *options);
        }
    });
}

}  // namespace assistd::cli
