#include "ops/doctor/check_result.h"

namespace assistd::ops::doctor {

std::string format(const CheckResult& result) {
    static constexpr const char* kVerdicts[] = {"ok  ", "warn", "fail"};
    std::string line = std::string(kVerdicts[static_cast<int>(result.verdict)]) + "  " +
                       result.check + ": " + result.finding + "\n";
    if (result.verdict != Verdict::ok) line += "      fix: " + result.fix + "\n";
    return line;
}

}  // namespace assistd::ops::doctor
