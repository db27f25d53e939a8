#include "server/serve.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "engine/sched/scheduler.h"
#include "server/admin_key_routes.h"
#include "server/auth_routes.h"
#include "server/health_routes.h"
#include "server/http_server.h"
#include "server/openai_routes.h"
#include "server/request_gate.h"

namespace assistd::server {

int serve(const ServeSettings& settings, ServedModel served, ServeAuth auth) {
    // Declared before the scheduler, so jobs finishing while it stops can still post to it.
    net::io_context io;
    // Before the scheduler too: a job it still holds keeps a rate-limit lease until it ends.
    RequestGate gate(auth.authenticator);
    Scheduler scheduler(*served.model, *served.tokenizer,
                        {.threads = settings.threads, .max_queued = settings.max_queued});
    Router router;
    HttpServer server(io, router, gate, auth.audit, settings.limits, transport_error_body);
    add_health_routes(router, [&server] { return !server.draining(); });
    add_openai_routes(router, served, scheduler);
    if (auth.issuer != nullptr) add_auth_routes(router, *auth.issuer);
    if (auth.store != nullptr) add_admin_key_routes(router, *auth.store, *auth.issuer);

    Result<tcp::endpoint> bound = server.listen(settings.host, settings.port);
    if (!bound) {
        spdlog::error("{}", bound.error().message);
        return 1;
    }
    spdlog::info("serving model '{}' ({} threads, context {})", served.card.id, settings.threads,
                 served.limits.n_ctx);
    spdlog::info("listening on http://{}:{}", bound->address().to_string(), bound->port());

    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("{}: draining; in-flight requests have {} s to finish",
                     signal == SIGINT ? "SIGINT" : "SIGTERM",
                     std::chrono::duration<double>(settings.shutdown_deadline).count());
        server.drain(settings.shutdown_deadline, [&io] { io.stop(); });
    });
    io.run();
    spdlog::info("stopped");
    return 0;
}

}  // namespace assistd::server
