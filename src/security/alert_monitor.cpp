#include "security/alert_monitor.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace assistd::security {
namespace {

constexpr uint64_t kSweepEvery = 4096;  // records between sweeps of idle subjects
constexpr int64_t kLatencyJudgedEveryMs = 1000;

void drop_before(std::deque<int64_t>& times, int64_t oldest) {
    while (!times.empty() && times.front() < oldest) times.pop_front();
}

}  // namespace

std::string Alert::to_json() const {
    nlohmann::json line{{"time_ms", time_ms},   {"alert", rule},
                        {"value", value},       {"threshold", threshold},
                        {"requests", requests}, {"window_seconds", window_seconds}};
    if (!subject_id.empty()) line[subject] = subject_id;
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<Alert> AlertMonitor::observe(const AuditRecord& record) {
    std::vector<Alert> fired;
    if (rules_.auth_failures > 0 && (record.status == 401 || record.status == 403)) {
        if (!record.source.empty()) count_auth_failure("address", record.source, record, fired);
        if (!record.credential.empty())
            count_auth_failure("credential", record.credential, record, fired);
    }
    if (rules_.error_rate > 0) judge_error_rate(record, fired);
    if (rules_.latency_p95_ms > 0) judge_latency(record, fired);
    if (++observed_ % kSweepEvery == 0) forget_stale(record.time_ms);
    return fired;
}

void AlertMonitor::count_auth_failure(const std::string& subject, const std::string& id,
                                      const AuditRecord& record, std::vector<Alert>& fired) {
    std::deque<int64_t>& times = failures_[subject + " " + id];
    times.push_back(record.time_ms);
    drop_before(times, record.time_ms - rules_.auth_failures_window_ms);
    const auto count = static_cast<int64_t>(times.size());
    if (count < rules_.auth_failures) return;
    if (!unsuppressed("auth_failures " + subject + " " + id, record.time_ms,
                      rules_.auth_failures_window_ms)) {
        return;
    }
    fired.push_back({.time_ms = record.time_ms,
                     .rule = "auth_failures",
                     .subject = subject,
                     .subject_id = id,
                     .value = static_cast<double>(count),
                     .threshold = static_cast<double>(rules_.auth_failures),
                     .requests = count,
                     .window_seconds = rules_.auth_failures_window_ms / 1000});
}

void AlertMonitor::judge_error_rate(const AuditRecord& record, std::vector<Alert>& fired) {
    outcomes_.emplace_back(record.time_ms, record.status >= 500);
    errors_in_window_ += record.status >= 500 ? 1 : 0;
    while (outcomes_.front().first < record.time_ms - rules_.error_rate_window_ms) {
        errors_in_window_ -= outcomes_.front().second ? 1 : 0;
        outcomes_.pop_front();
    }
    const auto requests = static_cast<int64_t>(outcomes_.size());
    if (requests < rules_.min_requests) return;
    const double rate = static_cast<double>(errors_in_window_) / static_cast<double>(requests);
    if (rate <= rules_.error_rate) return;
    if (!unsuppressed("error_rate", record.time_ms, rules_.error_rate_window_ms)) return;
    fired.push_back({.time_ms = record.time_ms,
                     .rule = "error_rate",
                     .subject = "server",
                     .value = rate,
                     .threshold = rules_.error_rate,
                     .requests = requests,
                     .window_seconds = rules_.error_rate_window_ms / 1000});
}

void AlertMonitor::judge_latency(const AuditRecord& record, std::vector<Alert>& fired) {
    latencies_.push_back({record.time_ms, record.latency_ms});
    while (latencies_.front().time_ms < record.time_ms - rules_.latency_window_ms)
        latencies_.pop_front();
    if (static_cast<int64_t>(latencies_.size()) < rules_.min_requests) return;
    if (latency_judged_at_ >= 0 && record.time_ms < latency_judged_at_ + kLatencyJudgedEveryMs)
        return;
    latency_judged_at_ = record.time_ms;
    std::vector<int64_t> latencies;
    latencies.reserve(latencies_.size());
    for (const Sample& sample : latencies_) latencies.push_back(sample.latency_ms);
    // Nearest-rank p95: the smallest latency at least 95 % of the requests did not exceed.
    const auto rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(latencies.size())));
    std::nth_element(latencies.begin(), latencies.begin() + (rank - 1), latencies.end());
    const int64_t p95 = latencies[rank - 1];
    if (p95 <= rules_.latency_p95_ms) return;
    if (!unsuppressed("latency_ms", record.time_ms, rules_.latency_window_ms)) return;
    fired.push_back({.time_ms = record.time_ms,
                     .rule = "latency_ms",
                     .subject = "server",
                     .value = static_cast<double>(p95),
                     .threshold = static_cast<double>(rules_.latency_p95_ms),
                     .requests = static_cast<int64_t>(latencies.size()),
                     .window_seconds = rules_.latency_window_ms / 1000});
}

bool AlertMonitor::unsuppressed(const std::string& key, int64_t now, int64_t window_ms) {
    auto [quiet, fresh] = quiet_until_.try_emplace(key, now + window_ms);
    if (fresh) return true;
    if (now < quiet->second) return false;
    quiet->second = now + window_ms;
    return true;
}

void AlertMonitor::forget_stale(int64_t now) {
    for (auto entry = failures_.begin(); entry != failures_.end();) {
        drop_before(entry->second, now - rules_.auth_failures_window_ms);
        entry = entry->second.empty() ? failures_.erase(entry) : std::next(entry);
    }
    std::erase_if(quiet_until_, [&](const auto& entry) { return entry.second <= now; });
}

}  // namespace assistd::security
