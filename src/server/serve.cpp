#include "server/serve.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "engine/sched/scheduler.h"
#include "ops/process_metrics.h"
#include "ops/systemd_notify.h"
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
        const ops::SystemdNotify systemd{};
        systemd.reloading();
        if (Result<void> reloaded = certificates.reload(); !reloaded) {
            spdlog::error("SIGHUP: keeping the current TLS certificate: {}",
                          reloaded.error().message);
        } else {
            spdlog::info("SIGHUP: TLS certificate reloaded (SHA-256 {})",
                         certificates.fingerprint());
        }
        systemd.ready();
        reload_certificates_on_sighup(hangups, certificates);
    });
}

// Every heartbeat interval, from the event loop, so a worker whose loop is stuck falls silent.
void beat_heart(net::steady_timer& timer, WorkerLink& worker,
                const ops::MetricsRegistry& registry) {
    worker.heartbeat(registry);
    timer.expires_after(worker.heartbeat_interval());
    timer.async_wait([&timer, &worker, &registry](boost::system::error_code ec) {
        if (!ec) beat_heart(timer, worker, registry);
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
    const Access metrics_access =
        settings.public_metrics ? Access::open() : Access::scoped(security::Scope::MetricsRead);
    if (settings.worker != nullptr) {
        add_metrics_routes(
            router,
            [worker = settings.worker, &registry] { return worker->generation_metrics(registry); },
            metrics_access);
    } else {
        add_worker_count_metrics(registry, 0, 1);
        add_metrics_routes(router, registry, metrics_access);
    }
    add_openai_routes(router, {models, metrics});
    add_admin_model_routes(router, served.data_dir);
    if (auth.issuer != nullptr) add_auth_routes(router, *auth.issuer);
    if (auth.store != nullptr) add_admin_key_routes(router, *auth.store, *auth.issuer);

    Result<tcp::endpoint> bound = settings.worker != nullptr
                                      ? server.adopt(settings.worker->listener())
                                      : server.listen(settings.host, settings.port);
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

    const ops::SystemdNotify systemd{};
    net::steady_timer heartbeat(io);
    if (settings.worker != nullptr) {
        settings.worker->ready();
        beat_heart(heartbeat, *settings.worker, registry);
    } else {
        systemd.ready();
    }

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
        if (settings.worker != nullptr) {
            server.stop_accepting();  // the other workers take the new connections
        } else {
            systemd.stopping();
        }
        server.drain(settings.shutdown_deadline, [&io] { io.stop(); });
    });
    io.run();
    if (auth.audit != nullptr) auth.audit->on_append(nullptr);  // the notifier goes with serve()
    spdlog::info("stopped");
    return 0;
}

}  // namespace assistd::server
