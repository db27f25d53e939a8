// AlertNotifier: the alert rules (AlertMonitor) fed from the audit stream, and where a fired
// alert goes — one JSON line appended to the alerts file, and the same JSON POSTed to a webhook
// (http://host:port/path) without blocking anyone: the POST runs on the server's io_context, gives
// up after a timeout, and a failure is logged and counted, never retried (the next alert is the
// next try).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "security/alert_monitor.h"

namespace assistd::security {

struct AlertSettings {
    std::string path{};     // the alerts file (JSON lines)
    std::string webhook{};  // "" : no webhook
    std::chrono::milliseconds webhook_timeout{5000};
    AlertRules rules{};
};

struct WebhookUrl {
    std::string host;
    std::string port;
    std::string target;  // path and query, "/" at least
};

// Only plain http: a webhook is a local relay (Alertmanager, a chat bridge) on a trusted network.
Result<WebhookUrl> parse_webhook_url(const std::string& url);

class AlertNotifier {
  public:
    static Result<std::unique_ptr<AlertNotifier>> open(boost::asio::io_context& io,
                                                       const AlertSettings& settings);
    // Judges one audit record; not thread-safe (AuditLog::on_append serialises the calls).
    void observe(const AuditRecord& record);
    // Thread-safe; the webhook call is posted to the io_context.
    void notify(const Alert& alert);
    uint64_t webhook_failures() const { return webhook_failures_; }

  private:
    AlertNotifier(boost::asio::io_context& io, const AlertSettings& settings)
        : io_(io), timeout_(settings.webhook_timeout), monitor_(settings.rules) {}
    void post_webhook(std::string body);

    boost::asio::io_context& io_;
    const std::chrono::milliseconds timeout_;
    AlertMonitor monitor_;
    std::mutex mutex_;
    std::ofstream file_;
    std::optional<WebhookUrl> webhook_;
    std::atomic<uint64_t> webhook_failures_{0};
};

}  // namespace assistd::security
