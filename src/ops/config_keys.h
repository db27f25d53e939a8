// The table of every configuration key: its section and name, the kind of value it takes, how
// that value is parsed and range-checked, and how it is shown. YAML, environment variables and
// flags all set keys through this table, so a key has one set of rules wherever it is written.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ops/config.h"

namespace assistd::ops {

enum class ValueKind { Integer, Number, Boolean, Text };

std::string_view value_kind_name(ValueKind kind);  // "an integer", "a number", ...

struct ConfigKey {
    std::string section;  // "service"
    std::string name;     // "port"
    ValueKind kind;
    // Parses and checks `text`, then stores it; the error says what was expected and what came.
    std::function<Result<void>(Config& config, std::string_view text)> set;
    std::function<std::string(const Config& config)> show;

    std::string dotted() const { return section + "." + name; }  // "service.port"
};

const std::vector<ConfigKey>& config_keys();

bool is_config_section(std::string_view section);

// nullptr when the section has no such key.
const ConfigKey* find_config_key(std::string_view section, std::string_view name);

// True when `group` is a mapping of keys in `section` ("tls" in service: tls.cert, tls.key...).
bool is_config_group(std::string_view section, std::string_view group);

// "host, port, workers, ..." for messages about unknown keys.
std::string known_keys_of(std::string_view section);

}  // namespace assistd::ops
