// The layers above the file: ASSISTD_SECTION_KEY environment variables, then command-line flags.
//
// A variable that starts with a section's prefix (ASSISTD_SERVICE_, ASSISTD_MODEL_,
// ASSISTD_LOGGING_) but names no key of it is an error, as an unknown key in the file is: a typo
// in a deployment manifest must not be silently ignored. Other ASSISTD_* variables (the test
// harness's ASSISTD_BINARY, future secrets) are not configuration keys and are left alone.
#include <algorithm>
#include <cctype>

#include "ops/config.h"
#include "ops/config_keys.h"

extern char** environ;

namespace assistd::ops {

namespace {

constexpr std::string_view kPrefix = "ASSISTD_";

std::string upper(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    return result;
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return result;
}

// `origin` names where the value came from: "ASSISTD_SERVICE_PORT", "--port".
Result<void> set_from(Config& config, const ConfigKey& key, std::string_view value,
                      const std::string& origin) {
    Result<void> set = key.set(config, value);
    if (!set) return Error{origin + " (" + key.dotted() + "): " + set.error().message};
    return {};
}

// The section whose variable prefix `rest` (the name after ASSISTD_) starts with, or "".
std::string section_of_variable(std::string_view rest) {
    for (const ConfigKey& key : config_keys()) {
        if (rest.starts_with(upper(key.section) + "_")) return key.section;
    }
    return "";
}

// The key of `section` a variable names: "tls_cert" is service.tls.cert (dots become underscores
// in variable names).
const ConfigKey* find_variable_key(std::string_view section, std::string_view name) {
    for (const ConfigKey& key : config_keys()) {
        std::string spelled = key.name;
        std::replace(spelled.begin(), spelled.end(), '.', '_');
        if (key.section == section && spelled == name) return &key;
    }
    return nullptr;
}

}  // namespace

Environment process_environment() {
    Environment environment;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        size_t equals = text.find('=');
        if (!text.starts_with(kPrefix) || equals == std::string_view::npos) continue;
        environment.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return environment;
}

Result<void> apply_environment(Config& config, const Environment& environment) {
    for (const auto& [variable, value] : environment) {
        if (!variable.starts_with(kPrefix)) continue;
        std::string_view rest = std::string_view(variable).substr(kPrefix.size());
        std::string section = section_of_variable(rest);
        if (section.empty()) continue;
        std::string name = lower(rest.substr(section.size() + 1));
        const ConfigKey* key = find_variable_key(section, name);
        if (key == nullptr) {
            return Error{variable + ": no key " + section + "." + name + " (" + section + " has " +
                         known_keys_of(section) + ")"};
        }
        Result<void> set = set_from(config, *key, value, variable);
        if (!set) return set;
    }
    return {};
}

Result<void> apply_command_line(Config& config, const CommandLineOverrides& overrides) {
    struct Flag {
        const std::optional<std::string>& value;
        const char* flag;
        const char* section;
        const char* name;
    };
    const Flag flags[] = {{overrides.host, "--host", "service", "host"},
                          {overrides.port, "--port", "service", "port"},
                          {overrides.model, "--model", "model", "path"}};
    for (const Flag& flag : flags) {
        if (!flag.value) continue;
        Result<void> set =
            set_from(config, *find_config_key(flag.section, flag.name), *flag.value, flag.flag);
        if (!set) return set;
    }
    return {};
}

}  // namespace assistd::ops
