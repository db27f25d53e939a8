#include "server/serve.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "engine/sched/scheduler.h"
#include "ops/process_metrics.h"
#include "server/admin_key_routes.h"
#include "server/admin_model_routes.h"
#include "server/auth_routes.h"
#include "server/health_routes.h"
#include "server/http_server.h"
#include "server/metrics_routes.h"
#include "server/model_set.h"
#include "server/openai_routes.h"
#include "server/registry_watch.h"
#include "server/request_gate.h"

namespace assistd::server {

namespace {

// SIGHUP: new connections get the certificate now in the files; open ones keep theirs.
void reload_certificates_on_sighup(net::signal_set& hangups, TlsCertificates& certificates) {
    hangups.async_wait([&hangups, &certificates](boost::system::error_code ec, int) {
        if (ec) return;
        if (Result<void> reloaded = certificates.reload(); !reloaded) {
            spdlog::error("SIGHUP: keeping the current TLS certificate: {}",
                          reloaded.error().message);
        } else {
            spdlog::info("SIGHUP: TLS certificate reloaded (SHA-256 {})",
                         certificates.fingerprint());
        }
        reload_certificates_on_sighup(hangups, certificates);
    });
}

}  // namespace

int serve(const ServeSettings& settings, ServeModels served, ServeAuth auth) {
    std::unique_ptr<TlsCertificates> certificates;
    if (settings.tls.enabled()) {
        Result<std::unique_ptr<TlsCertificates>> loaded = TlsCertificates::load(settings.tls);
        if (!loaded) {
            spdlog::error("{}", loaded.error().message);
            return 1;
        }
        certificates = std::move(*loaded);
    }
    // Declared before the models, so jobs finishing while their schedulers stop can still post.
    net::io_context io;
    std::unique_ptr<security::AlertNotifier> alerts;
    if (auth.audit != nullptr) {
        Result<std::unique_ptr<security::AlertNotifier>> opened =
            security::AlertNotifier::open(io, settings.alerts);
        if (!opened) {
            spdlog::error("{}", opened.error().message);
            return 1;
        }
        alerts = std::move(*opened);
        auth.audit->on_append([notifier = alerts.get()](const security::AuditRecord& record) {
            notifier->observe(record);
        });
    }
    // Before the models too: a job a scheduler still holds keeps a rate-limit lease until it ends.
    RequestGate gate(auth.authenticator);
    ops::MetricsRegistry registry;
    ops::add_process_metrics(registry);
    cache::CacheMetrics cache_metrics(registry);
    Result<std::unique_ptr<cache::ResponseCache>> response_cache =
        cache::open_response_cache(settings.cache, cache_metrics, registry);
    if (!response_cache) {
        spdlog::error("{}", response_cache.error().message);
        return 1;
    }
    ModelSet models(std::move(served.loader), response_cache->get(), &cache_metrics);
    Result<std::unique_ptr<RegistryWatch>> watch =
        RegistryWatch::start(served.data_dir, models, served.registry_poll);
    if (!watch) {
        spdlog::error("{}", watch.error().message);
        return 1;
    }
    if (!served.configured_only_without_registry || models.empty()) {
        if (Result<void> added = models.add_fixed(served.configured); !added) {
            spdlog::error("{}", added.error().message);
            return 1;
        }
    }
    ServingMetrics metrics(registry, models);
    Router router;
    HttpServer server(io, router, gate, auth.audit, settings.limits, transport_error_body);
    server.on_answered([&metrics](std::string_view route, unsigned status) {
        metrics.http_response(route, status);
    });
    if (certificates) server.use_tls(*certificates);
    add_health_routes(router, [&server] { return !server.draining(); });
    add_metrics_routes(
        router, registry,
        settings.public_metrics ? Access::open() : Access::scoped(security::Scope::MetricsRead));
    add_openai_routes(router, {models, metrics});
    add_admin_model_routes(router, served.data_dir);
    if (auth.issuer != nullptr) add_auth_routes(router, *auth.issuer);
    if (auth.store != nullptr) add_admin_key_routes(router, *auth.store, *auth.issuer);

    Result<tcp::endpoint> bound = server.listen(settings.host, settings.port);
    if (!bound) {
        spdlog::error("{}", bound.error().message);
        return 1;
    }
    if (certificates) {
        spdlog::info("TLS {}+ with certificate SHA-256 {}", settings.tls.min_version,
                     certificates->fingerprint());
    }
    spdlog::info("listening on {}://{}:{}", certificates ? "https" : "http",
                 bound->address().to_string(), bound->port());

    net::signal_set hangups(io);
    if (certificates) {
        hangups.add(SIGHUP);
        reload_certificates_on_sighup(hangups, *certificates);
    }

    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("{}: draining; in-flight requests have {} s to finish",
                     signal == SIGINT ? "SIGINT" : "SIGTERM",
                     std::chrono::duration<double>(settings.shutdown_deadline).count());
        server.drain(settings.shutdown_deadline, [&io] { io.stop(); });
    });
    io.run();
    if (auth.audit != nullptr) auth.audit->on_append(nullptr);  // the notifier goes with serve()
    spdlog::info("stopped");
    return 0;
}

}  // namespace assistd::server
