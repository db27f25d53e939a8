// parse_config_yaml(): the YAML layer of the configuration. yaml-cpp reports problems by throwing;
// every exception is caught here and becomes an Error that names the line.
#include <yaml-cpp/yaml.h>

#include <map>

#include "ops/config.h"
#include "ops/config_keys.h"

namespace assistd::ops {

namespace {

// Where a node sits, for messages: "assistd.yaml:3".
std::string location(const std::string& source_name, const YAML::Node& node) {
    return source_name + ":" + std::to_string(node.Mark().line + 1);
}

std::string node_kind_name(const YAML::Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "nothing";
    return "a string";
}

// A quoted scalar ("8080") is a string in YAML, so it is refused where a number or boolean is
// expected: the file's types mean what they say. Plain scalars are parsed by the key.
Result<void> set_key(Config& config, const ConfigKey& key, const YAML::Node& value,
                     const std::string& where) {
    const bool quoted = value.IsScalar() && value.Tag() == "!";
    const bool fits = value.IsScalar() && (key.kind == ValueKind::Text || !quoted);
    if (!fits) {
        return Error{
            where + ": " + key.dotted() + ": expected " + std::string(value_kind_name(key.kind)) +
            ", got " + node_kind_name(value) +
            (value.IsNull() && key.kind == ValueKind::Text ? " (write \"\" for empty)" : "")};
    }
    Result<void> set = key.set(config, value.Scalar());
    if (!set) return Error{where + ": " + key.dotted() + ": " + set.error().message};
    return {};
}

// `group` is "" for the section's own keys, or "tls." inside a nested mapping (service.tls.cert).
Result<void> apply_section(Config& config, const std::string& section, const YAML::Node& body,
                           const std::string& source_name, const std::string& group = "") {
    if (body.IsNull()) return {};  // "model:" with nothing under it keeps the defaults
    if (!body.IsMap()) {
        const std::string name =
            group.empty() ? section : section + "." + group.substr(0, group.size() - 1);
        return Error{location(source_name, body) + ": " + name +
                     ": expected a mapping of keys, got " + node_kind_name(body)};
    }
    std::map<std::string, int> first_line;
    for (const auto& entry : body) {
        const std::string name = group + entry.first.Scalar();
        const std::string where = location(source_name, entry.first);
        if (is_config_group(section, name)) {
            Result<void> applied =
                apply_section(config, section, entry.second, source_name, name + ".");
            if (!applied) return applied;
            continue;
        }
        const ConfigKey* key = find_config_key(section, name);
        if (key == nullptr) {
            return Error{where + ": unknown key '" + section + "." + name + "' (" + section +
                         " has " + known_keys_of(section) + ")"};
        }
        auto [seen, fresh] = first_line.emplace(name, entry.first.Mark().line + 1);
        if (!fresh) {
            return Error{where + ": " + key->dotted() + " is given twice (first on line " +
                         std::to_string(seen->second) + ")"};
        }
        Result<void> set = set_key(config, *key, entry.second, where);
        if (!set) return set;
    }
    return {};
}

Result<Config> apply_document(const YAML::Node& root, const std::string& source_name) {
    Config config;
    if (root.IsNull()) return config;  // an empty file: all defaults
    if (!root.IsMap()) {
        return Error{location(source_name, root) +
                     ": expected a mapping of sections (service, model, logging), got " +
                     node_kind_name(root)};
    }
    std::map<std::string, int> first_line;
    for (const auto& entry : root) {
        const std::string section = entry.first.Scalar();
        const std::string where = location(source_name, entry.first);
        if (!is_config_section(section)) {
            return Error{where + ": unknown section '" + section +
                         "' (known: service, model, logging)"};
        }
        auto [seen, fresh] = first_line.emplace(section, entry.first.Mark().line + 1);
        if (!fresh) {
            return Error{where + ": section " + section + " is given twice (first on line " +
                         std::to_string(seen->second) + ")"};
        }
        Result<void> applied = apply_section(config, section, entry.second, source_name);
        if (!applied) return applied.error();
    }
    return config;
}

}  // namespace

Result<Config> parse_config_yaml(const std::string& yaml_text, const std::string& source_name) {
    try {
        return apply_document(YAML::Load(yaml_text), source_name);
    } catch (const YAML::Exception& error) {
        return Error{source_name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg};
    }
}

}  // namespace assistd::ops
