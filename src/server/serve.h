// serve(): the server process of `assistd serve`, or one of its workers — the configured model and
// the model registry's active versions (swapped as the registry changes), each with its scheduler,
// the HTTP routes behind the request gate, HTTPS certificates reloaded on SIGHUP, and a graceful
// shutdown on SIGTERM/SIGINT. Returns the process exit code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "cache/open_response_cache.h"
#include "engine/sched/scheduler.h"
#include "security/alert_notifier.h"
#include "security/audit_log.h"
#include "security/authenticator.h"
#include "security/credential_issuer.h"
#include "server/loaded_model.h"
#include "server/openai_routes.h"
#include "server/server_limits.h"
#include "server/tls_certificates.h"
#include "server/worker_link.h"

namespace assistd::server {

struct ServeSettings {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port (logged)
    ServerLimits limits;
    std::chrono::milliseconds shutdown_deadline{30'000};
    bool public_metrics = false;     // GET /metrics without a credential (auth.public_metrics)
    TlsSettings tls;                 // not enabled(): plain HTTP
    security::AlertSettings alerts;  // rules on the audit stream (when there is an audit log)
    cache::CacheSettings cache;
    // Set in a worker process (see supervisor.h): serve on the master's socket, report to it,
    // and drain without refusing anyone when told to stop. Null: one process on its own, which
    // binds host:port and tells systemd how it is doing.
    WorkerLink* worker = nullptr;
};

// Who checks credentials, issues session tokens and keeps keys; all null when auth.enabled is
// false.
struct ServeAuth {
    security::Authenticator* authenticator = nullptr;
    security::CredentialIssuer* issuer = nullptr;
    store::CredentialStore* store = nullptr;
    security::AuditLog* audit = nullptr;  // one line per API call
};

// What is served: the configured model, and the registry under data_dir.
struct ServeModels {
    ModelLoader loader;
    ModelSource configured;  // model.path, or the built-in model when file is ""
    // The built-in model stands in only when the registry has no active version.
    bool configured_only_without_registry = false;
    std::filesystem::path data_dir;  // storage.data_dir, with registry.db
    std::chrono::milliseconds registry_poll{1'000};
};

int serve(const ServeSettings& settings, ServeModels models, ServeAuth auth);

}  // namespace assistd::server
