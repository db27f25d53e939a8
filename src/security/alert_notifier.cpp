#include "security/alert_notifier.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstring>
#include <functional>

namespace assistd::security {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One POST: resolve, connect, write, read the answer — each step within the one deadline.
class WebhookCall : public std::enable_shared_from_this<WebhookCall> {
  public:
    using Finished = std::function<void(const std::string& failure)>;  // "" when delivered

    WebhookCall(net::io_context& io, const WebhookUrl& url, std::string body, Finished finished)
        : resolver_(io), stream_(io), url_(url), finished_(std::move(finished)) {
        request_ = {http::verb::post, url.target, 11};
        request_.set(http::field::host, url.host + ":" + url.port);
        request_.set(http::field::user_agent, "assistd-alerts");
        request_.set(http::field::content_type, "application/json");
        request_.body() = std::move(body);
        request_.prepare_payload();
    }

    void start(std::chrono::milliseconds timeout) {
        stream_.expires_after(timeout);
        resolver_.async_resolve(url_.host, url_.port,
                                [self = shared_from_this()](beast::error_code ec, auto endpoints) {
                                    if (ec) return self->fail("resolve", ec);
                                    self->connect(endpoints);
                                });
    }

  private:
    void connect(const tcp::resolver::results_type& endpoints) {
        stream_.async_connect(endpoints, [self = shared_from_this()](beast::error_code ec, auto) {
            if (ec) return self->fail("connect", ec);
            http::async_write(self->stream_, self->request_, [self](beast::error_code ec, size_t) {
                if (ec) return self->fail("write", ec);
                self->read();
            });
        });
    }

    void read() {
        http::async_read(
            stream_, buffer_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
                if (ec) return self->fail("read", ec);
                beast::error_code ignored;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                const unsigned status = self->response_.result_int();
                self->finished_(status / 100 == 2 ? "" : "answered HTTP " + std::to_string(status));
            });
    }

    void fail(const char* step, beast::error_code ec) {
        finished_(std::string(step) + ": " +
                  (ec == beast::error::timeout ? std::string("timed out") : ec.message()));
    }

    tcp::resolver resolver_;
    beast::tcp_stream stream_;
    const WebhookUrl url_;
    Finished finished_;
    http::request<http::string_body> request_;
    beast::flat_buffer buffer_;
    http::response<http::string_body> response_;
};

}  // namespace

Result<WebhookUrl> parse_webhook_url(const std::string& url) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) {
        return Error{"alerts.webhook: expected http://host:port/path, got '" + url + "'"};
    }
    const std::string rest = url.substr(kScheme.size());
    const size_t slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const size_t colon = authority.rfind(':');
    WebhookUrl parsed{.host = authority.substr(0, colon),
                      .port = colon == std::string::npos ? "80" : authority.substr(colon + 1),
                      .target = slash == std::string::npos ? "/" : rest.substr(slash)};
    if (parsed.host.empty() || parsed.port.empty()) {
        return Error{"alerts.webhook: no host or port in '" + url + "'"};
    }
    return parsed;
}

Result<std::unique_ptr<AlertNotifier>> AlertNotifier::open(net::io_context& io,
                                                           const AlertSettings& settings) {
    std::unique_ptr<AlertNotifier> notifier(new AlertNotifier(io, settings));
    if (!settings.webhook.empty()) {
        Result<WebhookUrl> url = parse_webhook_url(settings.webhook);
        if (!url) return url.error();
        notifier->webhook_ = *url;
    }
    const int fd = ::open(settings.path.c_str(), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Error{"alerts.path: cannot open '" + settings.path + "': " + std::strerror(errno)};
    }
    ::close(fd);
    notifier->file_.open(settings.path, std::ios::app);
    if (!notifier->file_) return Error{"alerts.path: cannot open '" + settings.path + "'"};
    return notifier;
}

void AlertNotifier::observe(const AuditRecord& record) {
    for (const Alert& alert : monitor_.observe(record)) notify(alert);
}

void AlertNotifier::notify(const Alert& alert) {
    const std::string line = alert.to_json();
    spdlog::warn("alert: {}", line);
    {
        std::lock_guard lock(mutex_);
        file_ << line << '\n' << std::flush;
    }
    if (webhook_) post_webhook(line);
}

void AlertNotifier::post_webhook(std::string body) {
    net::post(io_, [this, body = std::move(body)]() mutable {
        auto call = std::make_shared<WebhookCall>(
            io_, *webhook_, std::move(body), [this](const std::string& failure) {
                if (failure.empty()) return;
                const uint64_t failures = ++webhook_failures_;
                spdlog::error("alert webhook {}:{}{} failed ({}); {} failed so far, not retried",
                              webhook_->host, webhook_->port, webhook_->target, failure, failures);
            });
        call->start(timeout_);
    });
}

}  // namespace assistd::security
