#include "ops/log_setup.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace assistd::ops {
namespace {

// {"time":"2026-11-29T07:00:00.123Z","level":"info","msg":"..."}: the message escaped as JSON,
// which a pattern cannot do.
class JsonFormatter : public spdlog::formatter {
  public:
    explicit JsonFormatter(bool with_pid) : with_pid_(with_pid) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const auto since_epoch = msg.time.time_since_epoch();
        const std::time_t seconds = std::chrono::system_clock::to_time_t(msg.time);
        const auto millis =
            std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char time[40];
        const size_t length = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &utc);
        std::snprintf(time + length, sizeof time - length, ".%03dZ", static_cast<int>(millis));
        const auto level = spdlog::level::to_string_view(msg.level);
        nlohmann::json object{{"time", time},
                              {"level", std::string(level.data(), level.size())},
                              {"msg", std::string(msg.payload.data(), msg.payload.size())}};
        if (with_pid_) object["pid"] = ::getpid();
        const std::string line =
            object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        dest.append(line.data(), line.data() + line.size());
        dest.push_back('\n');
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>(with_pid_);
    }

  private:
    bool with_pid_;
};

}  // namespace

Result<void> set_up_logging(const LogSettings& settings) {
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_sink_mt>()};
    if (!settings.file.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                settings.file, settings.max_bytes, settings.max_files));
        } catch (const spdlog::spdlog_ex& error) {
            return Error{"logging.file: " + std::string(error.what())};
        }
    }
    auto logger = std::make_shared<spdlog::logger>("assistd", sinks.begin(), sinks.end());
    if (settings.json) {
        logger->set_formatter(std::make_unique<JsonFormatter>(settings.with_pid));
    } else if (settings.with_pid) {
        logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] [pid %P] %v");
    }
    logger->set_level(spdlog::level::from_str(settings.level));
    // A warning must reach the file before a crash could lose it; info lines may wait a second.
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
    spdlog::flush_every(std::chrono::seconds(1));
    return {};
}

}  // namespace assistd::ops
