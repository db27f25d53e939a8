#include "ops/config.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ops/config_keys.h"

namespace assistd::ops {

namespace {

Result<std::string> read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error{"cannot read config file '" + path + "': " + std::strerror(errno)};
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

Result<void> check_model_file(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        return Error{"model.path: '" + path + "' is not a file" +
                     (error ? " (" + error.message() + ")" : "")};
    }
    if (!std::ifstream(path, std::ios::binary)) {
        return Error{"model.path: cannot read '" + path + "': " + std::strerror(errno)};
    }
    return {};
}

}  // namespace

std::string master_key_path(const Config& config) {
    if (!config.auth.master_key_file.empty()) return config.auth.master_key_file;
    return (std::filesystem::path(config.storage.data_dir) / "master.key").string();
}

std::string audit_log_path(const Config& config) {
    if (!config.audit.path.empty()) return config.audit.path;
    return (std::filesystem::path(config.storage.data_dir) / "audit.log").string();
}

std::string alerts_path(const Config& config) {
    if (!config.alerts.path.empty()) return config.alerts.path;
    return (std::filesystem::path(config.storage.data_dir) / "alerts.log").string();
}

std::string served_model_id(const ModelConfig& model) {
    if (!model.id.empty()) return model.id;
    if (model.path.empty()) return kBuiltinModelId;
    std::filesystem::path file(model.path);
    return file.extension() == ".gguf" ? file.stem().string() : file.filename().string();
}

Result<void> validate(const Config& config) {
    const ModelConfig& model = config.model;
    if (model.default_max_tokens > model.max_tokens_limit) {
        return Error{"model.default_max_tokens (" + std::to_string(model.default_max_tokens) +
                     ") exceeds model.max_tokens_limit (" + std::to_string(model.max_tokens_limit) +
                     ")"};
    }
    return {};
}

Result<Config> load_config(const ConfigSources& sources) {
    Result<Config> config = Config{};
    if (sources.file) {
        Result<std::string> text = read_file(*sources.file);
        if (!text) return text.error();
        config = parse_config_yaml(*text, *sources.file);
        if (!config) return config;
    }
    if (Result<void> applied = apply_environment(*config, sources.environment); !applied) {
        return applied.error();
    }
    if (Result<void> applied = apply_command_line(*config, sources.command_line); !applied) {
        return applied.error();
    }
    if (Result<void> valid = validate(*config); !valid) return valid.error();
    return config;
}

Result<std::string> check_config(const ConfigSources& sources) {
    Result<Config> config = load_config(sources);
    if (!config) return config.error();
    if (!config->model.path.empty()) {
        if (Result<void> readable = check_model_file(config->model.path); !readable) {
            return readable.error();
        }
    }
    std::string summary = "configuration is valid (" +
                          (sources.file ? "file " + *sources.file : std::string("defaults")) +
                          "); the model is served as '" + served_model_id(config->model) + "'\n";
    for (const ConfigKey& key : config_keys()) {
        summary += key.dotted() + ": " + key.show(*config) + "\n";
    }
    return summary;
}

}  // namespace assistd::ops
