#include "ops/config_keys.h"

#include <algorithm>
#include <array>
#include <limits>

#include "ops/config_value.h"

namespace assistd::ops {

namespace {

constexpr int64_t kOneGiB = int64_t{1} << 30;
constexpr double kOneDay = 86'400;
constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};

template <typename Section, typename T>
ConfigKey integer_key(std::string section, std::string name, Section Config::*part,
                      T Section::*field, int64_t min, int64_t max) {
    auto set = [=](Config& config, std::string_view text) -> Result<void> {
        Result<int64_t> value = parse_integer(text, min, max);
        if (!value) return value.error();
        config.*part.*field = static_cast<T>(*value);
        return {};
    };
    auto show = [=](const Config& config) { return std::to_string(config.*part.*field); };
    return {std::move(section), std::move(name), ValueKind::Integer, set, show};
}

template <typename Section>
ConfigKey number_key(std::string section, std::string name, Section Config::*part,
                     double Section::*field, double min, double max) {
    auto set = [=](Config& config, std::string_view text) -> Result<void> {
        Result<double> value = parse_number(text, min, max);
        if (!value) return value.error();
        config.*part.*field = *value;
        return {};
    };
    auto show = [=](const Config& config) { return format_number(config.*part.*field); };
    return {std::move(section), std::move(name), ValueKind::Number, set, show};
}

template <typename Section>
ConfigKey boolean_key(std::string section, std::string name, Section Config::*part,
                      bool Section::*field) {
    auto set = [=](Config& config, std::string_view text) -> Result<void> {
        Result<bool> value = parse_boolean(text);
        if (!value) return value.error();
        config.*part.*field = *value;
        return {};
    };
    auto show = [=](const Config& config) {
        return std::string(config.*part.*field ? "true" : "false");
    };
    return {std::move(section), std::move(name), ValueKind::Boolean, set, show};
}

// `check` returns an error message for a value it refuses, or "" to accept it.
template <typename Section>
ConfigKey text_key(std::string section, std::string name, Section Config::*part,
                   std::string Section::*field,
                   std::function<std::string(std::string_view)> check) {
    auto set = [=](Config& config, std::string_view text) -> Result<void> {
        if (std::string problem = check(text); !problem.empty()) return Error{problem};
        config.*part.*field = std::string(text);
        return {};
    };
    auto show = [=](const Config& config) { return "\"" + config.*part.*field + "\""; };
    return {std::move(section), std::move(name), ValueKind::Text, set, show};
}

std::string any_text(std::string_view) {
    return "";
}

std::string non_empty(std::string_view text) {
    return text.empty() ? "expected a non-empty string" : "";
}

std::string log_level(std::string_view text) {
    if (std::find(kLogLevels.begin(), kLogLevels.end(), text) != kLogLevels.end()) return "";
    return "expected one of trace, debug, info, warn, error, critical, off, got '" +
           std::string(text) + "'";
}

std::string tls_version(std::string_view text) {
    if (text == "1.3" || text == "1.2") return "";
    return "expected \"1.3\" or \"1.2\", got '" + std::string(text) + "'";
}

std::string log_format(std::string_view text) {
    if (text == "text" || text == "json") return "";
    return "expected text or json, got '" + std::string(text) + "'";
}

std::string cache_backend(std::string_view text) {
    if (text == "memory" || text == "redis" || text == "off") return "";
    return "expected one of memory, redis, off, got '" + std::string(text) + "'";
}

std::string redis_url(std::string_view text) {
    return text.starts_with("redis://") ? "" : "expected redis://[:password@]host[:port][/db]";
}

std::vector<ConfigKey> make_keys() {
    using S = ServiceConfig;
    using M = ModelConfig;
    using A = AlertsConfig;
    constexpr auto kService = &Config::service;
    constexpr auto kModel = &Config::model;
    constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
    return {
        text_key("service", "host", kService, &S::host, non_empty),
        integer_key("service", "port", kService, &S::port, 0, 65535),
        integer_key("service", "workers", kService, &S::workers, 1, 256),
        integer_key("service", "max_body_bytes", kService, &S::max_body_bytes, 1, kOneGiB),
        integer_key("service", "max_header_bytes", kService, &S::max_header_bytes, 1024, 1 << 20),
        number_key("service", "read_timeout_seconds", kService, &S::read_timeout_seconds, 0.1,
                   kOneDay),
        number_key("service", "idle_timeout_seconds", kService, &S::idle_timeout_seconds, 0.1,
                   kOneDay),
        number_key("service", "write_timeout_seconds", kService, &S::write_timeout_seconds, 0.1,
                   kOneDay),
        number_key("service", "shutdown_deadline_seconds", kService, &S::shutdown_deadline_seconds,
                   0, kOneDay),
        number_key("service", "watchdog_seconds", kService, &S::watchdog_seconds, 0.1, kOneDay),
        integer_key("service", "max_queued_requests", kService, &S::max_queued_requests, 1,
                    1 << 20),
        text_key("service", "tls.cert", kService, &S::tls_cert, any_text),
        text_key("service", "tls.key", kService, &S::tls_key, any_text),
        text_key("service", "tls.min_version", kService, &S::tls_min_version, tls_version),
        text_key("model", "path", kModel, &M::path, any_text),
        text_key("model", "id", kModel, &M::id, any_text),
        integer_key("model", "max_batch_size", kModel, &M::max_batch_size, 1, 128),
        integer_key("model", "n_ctx", kModel, &M::n_ctx, 0, kMaxInt32),
        integer_key("model", "kv_cache_bytes", kModel, &M::kv_cache_bytes, 0,
                    std::numeric_limits<int64_t>::max()),
        integer_key("model", "prefill_chunk", kModel, &M::prefill_chunk, 1, 256),
        integer_key("model", "threads", kModel, &M::threads, 0, 1024),
        boolean_key("model", "mmap", kModel, &M::mmap),
        integer_key("model", "max_tokens_limit", kModel, &M::max_tokens_limit, 1, kMaxInt32),
        integer_key("model", "default_max_tokens", kModel, &M::default_max_tokens, 0, kMaxInt32),
        integer_key("model", "max_n", kModel, &M::max_n, 1, 128),
        text_key("logging", "level", &Config::logging, &LoggingConfig::level, log_level),
        text_key("logging", "file", &Config::logging, &LoggingConfig::file, any_text),
        integer_key("logging", "max_bytes", &Config::logging, &LoggingConfig::max_bytes, 1024,
                    std::numeric_limits<int64_t>::max()),
        integer_key("logging", "max_files", &Config::logging, &LoggingConfig::max_files, 1, 1000),
        text_key("logging", "format", &Config::logging, &LoggingConfig::format, log_format),
        text_key("storage", "data_dir", &Config::storage, &StorageConfig::data_dir, non_empty),
        text_key("backup", "dir", &Config::backup, &BackupConfig::dir, non_empty),
        integer_key("backup", "keep", &Config::backup, &BackupConfig::keep, 1, 100'000),
        boolean_key("auth", "enabled", &Config::auth, &AuthConfig::enabled),
        boolean_key("auth", "public_metrics", &Config::auth, &AuthConfig::public_metrics),
        text_key("auth", "master_key_file", &Config::auth, &AuthConfig::master_key_file, any_text),
        integer_key("auth", "rotation_days", &Config::auth, &AuthConfig::rotation_days, 0, 36'500),
        integer_key("auth", "signature_skew_seconds", &Config::auth,
                    &AuthConfig::signature_skew_seconds, 1, 3600),
        text_key("audit", "path", &Config::audit, &AuditConfig::path, any_text),
        integer_key("audit", "max_bytes", &Config::audit, &AuditConfig::max_bytes, 0,
                    std::numeric_limits<int64_t>::max()),
        boolean_key("audit", "rotate_daily", &Config::audit, &AuditConfig::rotate_daily),
        text_key("alerts", "path", &Config::alerts, &A::path, any_text),
        text_key("alerts", "webhook", &Config::alerts, &A::webhook, any_text),
        number_key("alerts", "webhook_timeout_seconds", &Config::alerts,
                   &A::webhook_timeout_seconds, 0.1, 600),
        integer_key("alerts", "rules.auth_failures.count", &Config::alerts, &A::auth_failures_count,
                    0, kMaxInt32),
        number_key("alerts", "rules.auth_failures.window_seconds", &Config::alerts,
                   &A::auth_failures_window_seconds, 1, kOneDay),
        number_key("alerts", "rules.error_rate.ratio", &Config::alerts, &A::error_rate_ratio, 0, 1),
        number_key("alerts", "rules.error_rate.window_seconds", &Config::alerts,
                   &A::error_rate_window_seconds, 1, kOneDay),
        integer_key("alerts", "rules.latency_ms.p95", &Config::alerts, &A::latency_p95_ms, 0,
                    kMaxInt32),
        number_key("alerts", "rules.latency_ms.window_seconds", &Config::alerts,
                   &A::latency_window_seconds, 1, kOneDay),
        integer_key("alerts", "rules.min_requests", &Config::alerts, &A::min_requests, 1,
                    kMaxInt32),
        text_key("cache", "backend", &Config::cache, &CacheConfig::backend, cache_backend),
        integer_key("cache", "ttl_seconds", &Config::cache, &CacheConfig::ttl_seconds, 1,
                    365 * 86'400),
        integer_key("cache", "max_bytes", &Config::cache, &CacheConfig::max_bytes, 0,
                    std::numeric_limits<int64_t>::max()),
        text_key("cache", "redis_url", &Config::cache, &CacheConfig::redis_url, redis_url),
    };
}

}  // namespace

std::string_view value_kind_name(ValueKind kind) {
    switch (kind) {
        case ValueKind::Integer:
            return "an integer";
        case ValueKind::Number:
            return "a number";
        case ValueKind::Boolean:
            return "true or false";
        case ValueKind::Text:
            return "a string";
    }
    return "a value";
}

const std::vector<ConfigKey>& config_keys() {
    static const std::vector<ConfigKey> keys = make_keys();
    return keys;
}

bool is_config_section(std::string_view section) {
    const auto& keys = config_keys();
    return std::any_of(keys.begin(), keys.end(),
                       [&](const ConfigKey& key) { return key.section == section; });
}

const ConfigKey* find_config_key(std::string_view section, std::string_view name) {
    for (const ConfigKey& key : config_keys()) {
        if (key.section == section && key.name == name) return &key;
    }
    return nullptr;
}

bool is_config_group(std::string_view section, std::string_view group) {
    const auto& keys = config_keys();
    return std::any_of(keys.begin(), keys.end(), [&](const ConfigKey& key) {
        return key.section == section && key.name.size() > group.size() &&
               key.name.starts_with(group) && key.name[group.size()] == '.';
    });
}

std::string known_keys_of(std::string_view section) {
    std::string names;
    for (const ConfigKey& key : config_keys()) {
        if (key.section != section) continue;
        if (!names.empty()) names += ", ";
        names += key.name;
    }
    return names;
}

}  // namespace assistd::ops
