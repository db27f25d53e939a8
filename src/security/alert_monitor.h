// AlertMonitor: rules over the audit stream. Fed every audit record in order, it says which
// alerts that record fires:
//
//   auth_failures  ≥ N answers 401/403 to one source address, or to one credential, within W s
//   error_rate     the share of 5xx answers over W s exceeds a ratio (once min_requests are seen)
//   latency_ms     the p95 latency over W s exceeds a bound (once min_requests are seen)
//
// A rule that fired for a subject stays quiet for that subject for its window, so a sustained
// attack makes one alert per window, not one per request. Time is the records' own time_ms, so
// replaying a log gives the same alerts. Not thread-safe: AuditLog calls it under its lock.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "security/audit_log.h"

namespace assistd::security {

struct AlertRules {
    int64_t auth_failures = 10;  // 0: rule off
    int64_t auth_failures_window_ms = 60'000;
    double error_rate = 0.5;  // 0: rule off
    int64_t error_rate_window_ms = 300'000;
    int64_t latency_p95_ms = 0;  // 0: rule off
    int64_t latency_window_ms = 300'000;
    int64_t min_requests = 20;  // error_rate and latency_ms judge no fewer requests than this
};

struct Alert {
    int64_t time_ms = 0;       // of the record that fired it
    std::string rule{};        // "auth_failures", "error_rate", "latency_ms"
    std::string subject{};     // "address", "credential", or "server" for the whole stream
    std::string subject_id{};  // the address or credential id; "" for the server
    double value = 0;          // the count, ratio or p95 milliseconds that crossed the threshold
    double threshold = 0;
    int64_t requests = 0;  // records in the window the value was computed from
    int64_t window_seconds = 0;

    std::string to_json() const;  // one line, never a secret: only ids and numbers
};

class AlertMonitor {
  public:
    explicit AlertMonitor(AlertRules rules) : rules_(rules) {}
    std::vector<Alert> observe(const AuditRecord& record);

  private:
    struct Sample {
        int64_t time_ms;
        int64_t latency_ms;
    };
    void count_auth_failure(const std::string& subject, const std::string& id,
                            const AuditRecord& record, std::vector<Alert>& fired);
    void judge_error_rate(const AuditRecord& record, std::vector<Alert>& fired);
    void judge_latency(const AuditRecord& record, std::vector<Alert>& fired);
    // True (and quiet for `window_ms` from now) unless this rule fired for `key` within its window.
    bool unsuppressed(const std::string& key, int64_t now, int64_t window_ms);
    void forget_stale(int64_t now);

    const AlertRules rules_;
    std::unordered_map<std::string, std::deque<int64_t>> failures_;  // "address 1.2.3.4" → times
    std::deque<std::pair<int64_t, bool>> outcomes_;  // (time_ms, was 5xx) for error_rate
    int64_t errors_in_window_ = 0;
    std::deque<Sample> latencies_;    // for latency_ms
    int64_t latency_judged_at_ = -1;  // p95 is computed at most once a second (a sort)
    std::unordered_map<std::string, int64_t> quiet_until_;  // "rule subject" → time_ms
    uint64_t observed_ = 0;
};

}  // namespace assistd::security
