// CheckResult: what one `assistd doctor` check found, and for a warning or failure what to do.
//
//   ok    model: stories260K.gguf, GGUF v3, 1.1 MB read in 2 ms (540 MB/s)
//   fail  port: 127.0.0.1:8080 is in use (Address already in use)
//         fix: stop the process holding it (ss -ltnp 'sport = :8080') or set service.port
#pragma once

#include <string>

namespace assistd::ops::doctor {

enum class Verdict { ok, warn, fail };

struct CheckResult {
    Verdict verdict = Verdict::ok;
    std::string check;    // short name: "config", "model", "port", ...
    std::string finding;  // what was seen, with the numbers
    std::string fix{};    // empty for ok

    static CheckResult ok(std::string check, std::string finding) {
        return {Verdict::ok, std::move(check), std::move(finding)};
    }
    static CheckResult warn(std::string check, std::string finding, std::string fix) {
        return {Verdict::warn, std::move(check), std::move(finding), std::move(fix)};
    }
    static CheckResult fail(std::string check, std::string finding, std::string fix) {
        return {Verdict::fail, std::move(check), std::move(finding), std::move(fix)};
    }
};

// "ok    check: finding", plus "      fix: ..." on the next line for warn and fail.
std::string format(const CheckResult& result);

}  // namespace assistd::ops::doctor
