// Config: everything `assistd serve` reads from config.yaml, with a default for every key.
//
// The defaults here and config/assistd.yaml say the same thing (a test holds them together), so a
// missing file, an empty file and the shipped file all give the same server.
//
//   Result<Config> config = load_config({.file = "config.yaml",
//                                        .environment = process_environment(),
//                                        .command_line = {.port = "9000"}});
//
// Layers, each overriding the one before: defaults → the YAML file → ASSISTD_SECTION_KEY
// environment variables → command-line flags. Every value goes through the same typed parsing and
// range checks, and every error names the dotted key and where the value came from (file and
// line, variable name or flag).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"

namespace assistd::ops {

struct ServiceConfig {
    // Loopback by default: exposing the server to a network is a decision the operator makes by
    // writing 0.0.0.0 (or ASSISTD_SERVICE_HOST in a container).
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port, logged at start
    int32_t workers = 1;
    uint64_t max_body_bytes = 1 << 20;     // larger request bodies get 413
    uint32_t max_header_bytes = 16 << 10;  // larger request heads are refused
    // Against slow clients (slowloris): the whole request must arrive within read_timeout, a
    // kept-alive socket may idle between requests for idle_timeout, and a client that stops
    // reading the answer is dropped after write_timeout.
    double read_timeout_seconds = 30;
    double idle_timeout_seconds = 60;
    double write_timeout_seconds = 30;
    double shutdown_deadline_seconds = 30;  // in-flight requests get this long on SIGTERM
    double watchdog_seconds = 30;           // a worker silent this long is killed and replaced
    uint32_t max_queued_requests = 64;      // more waiting requests than this get 429
    // TLS (service.tls.*): PEM certificate chain and private key; both empty: plain HTTP.
    std::string tls_cert{};
    std::string tls_key{};
    std::string tls_min_version = "1.3";  // "1.3", or "1.2" for old clients

    bool operator==(const ServiceConfig&) const = default;
};

struct ModelConfig {
    std::string path{};  // a GGUF file; empty: the built-in tiny random-weight model
    std::string id{};    // the name clients use; empty: see served_model_id()
    int32_t max_batch_size = 32;
    int64_t n_ctx = 0;                // context of each sequence; 0: the model's trained context
    int64_t kv_cache_bytes = 0;       // keys and values of all sequences; 0: from free memory
    int32_t prefill_chunk = 128;      // prompt tokens read per step, across all sequences
    int32_t threads = 0;              // 0: one per hardware thread
    bool mmap = false;                // compute from the file mapping instead of anonymous memory
    int64_t max_tokens_limit = 4096;  // requests asking for more tokens get 400
    int64_t default_max_tokens = 0;   // when a chat request does not say; 0: up to the limit
    int32_t max_n = 8;                // most choices (n) one request may ask for

    bool operator==(const ModelConfig&) const = default;
};

struct LoggingConfig {
    std::string level = "info";    // trace, debug, info, warn, error, critical, off
    std::string file{};            // also log here, rotated; empty: stderr only
    int64_t max_bytes = 10 << 20;  // rotate the file when it reaches this size
    int32_t max_files = 5;         // rotated files kept beside it
    std::string format = "text";   // text or json (one object a line)

    bool operator==(const LoggingConfig&) const = default;
};

struct CacheConfig {
    // memory: an in-process LRU; redis: shared by every worker and replica; off: no cache.
    std::string backend = "memory";
    int64_t ttl_seconds = 3600;
    int64_t max_bytes = 256ll << 20;  // the memory backend's budget
    std::string redis_url = "redis://127.0.0.1:6379/0";

    bool operator==(const CacheConfig&) const = default;
};

struct StorageConfig {
    // Durable state (credentials in assistd.db); relative paths are from the working directory.
    std::string data_dir = "./data";

    bool operator==(const StorageConfig&) const = default;
};

// `assistd backup`: where archives go and how many `backup prune` keeps.
struct BackupConfig {
    // Relative paths are from the working directory. Keep it off the data directory's disk when
    // you can: a backup on the disk it protects is lost with that disk.
    std::string dir = "./backups";
    int32_t keep = 7;

    bool operator==(const BackupConfig&) const = default;
};

struct AuthConfig {
    bool enabled = true;  // false: every route is public (for a trusted loopback only)
    // Seals recoverable secrets; empty: <data_dir>/master.key, created on first use.
    // ASSISTD_MASTER_KEY (64 hex digits) overrides the file.
    std::string master_key_file{};
    int32_t rotation_days = 90;            // keys older than this are refused; 0: no policy
    int32_t signature_skew_seconds = 300;  // signed requests' clock tolerance
    bool public_metrics = false;           // GET /metrics without a credential

    bool operator==(const AuthConfig&) const = default;
};

struct AuditConfig {
    std::string path{};  // the hash-chained audit log; empty: <storage.data_dir>/audit.log
    uint64_t max_bytes = 100 << 20;  // rotate before a file grows past this; 0: no size limit
    bool rotate_daily = true;        // rotate when the first record of a new UTC day comes

    bool operator==(const AuditConfig&) const = default;
};

// Rules over the audit stream (see security/alert_monitor.h); a count, ratio or bound of 0 turns
// its rule off.
struct AlertsConfig {
    std::string path{};     // alert lines; empty: <storage.data_dir>/alerts.log
    std::string webhook{};  // http://host:port/path to POST each alert to; empty: none
    double webhook_timeout_seconds = 5;
    int64_t auth_failures_count = 10;          // 401/403 answers to one address or credential...
    double auth_failures_window_seconds = 60;  // ...within this long
    double error_rate_ratio = 0.5;             // share of 5xx answers above this...
    double error_rate_window_seconds = 300;    // ...within this long
    int64_t latency_p95_ms = 0;                // p95 latency above this...
    double latency_window_seconds = 300;       // ...within this long
    int64_t min_requests = 20;                 // error rate and latency judge no fewer requests

    bool operator==(const AlertsConfig&) const = default;
};

struct Config {
    ServiceConfig service;
    ModelConfig model;
    LoggingConfig logging;
    StorageConfig storage;
    BackupConfig backup;
    AuthConfig auth;
    AuditConfig audit;
    AlertsConfig alerts;
    CacheConfig cache;

    bool operator==(const Config&) const = default;
};

inline constexpr const char* kBuiltinModelId = "builtin-tiny";

// auth.master_key_file, or <storage.data_dir>/master.key when that is empty.
std::string master_key_path(const Config& config);
// audit.path, or <storage.data_dir>/audit.log when that is empty.
std::string audit_log_path(const Config& config);
// alerts.path, or <storage.data_dir>/alerts.log when that is empty.
std::string alerts_path(const Config& config);

// The model's public id: model.id if set, else "builtin-tiny" without a path, else the file name
// without its directory and ".gguf" extension.
std::string served_model_id(const ModelConfig& model);

// Flags of `assistd serve`, as the user typed them; unset ones leave the config as it is.
struct CommandLineOverrides {
    std::optional<std::string> host{};   // --host
    std::optional<std::string> port{};   // --port
    std::optional<std::string> model{};  // --model (model.path)
};

using Environment = std::map<std::string, std::string>;

// The ASSISTD_* variables of this process.
Environment process_environment();

struct ConfigSources {
    std::optional<std::string> file{};  // none: the built-in defaults
    Environment environment{};
    CommandLineOverrides command_line{};
};

Result<Config> load_config(const ConfigSources& sources);

// The steps of load_config, for callers that hold the pieces separately. `source_name` appears in
// errors ("assistd.yaml:3: service.port: ...").
Result<Config> parse_config_yaml(const std::string& yaml_text, const std::string& source_name);
Result<void> apply_environment(Config& config, const Environment& environment);
Result<void> apply_command_line(Config& config, const CommandLineOverrides& overrides);
Result<void> validate(const Config& config);  // relations between keys

// `assistd serve --check-config`: load_config, then check that model.path names a readable file.
// Returns a summary of the effective configuration (one "key: value" line each) or the error.
Result<std::string> check_config(const ConfigSources& sources);

}  // namespace assistd::ops
