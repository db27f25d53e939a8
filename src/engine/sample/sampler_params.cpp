#include "engine/sample/sampler_params.h"

#include <cmath>
#include <string>

namespace assistd {
namespace {

// Formats a float without trailing zeros so messages read "got 1.5", not "got 1.500000".
std::string format_value(float value) {
    if (std::isnan(value)) return "NaN";
    std::string text = std::to_string(value);
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

// NaN fails every comparison, so `!(lo <= value && value <= hi)` also rejects it.
Result<void> check_range(const char* name, float value, float lo, float hi) {
    if (lo <= value && value <= hi) return {};
    return Error{std::string(name) + " must be between " + format_value(lo) + " and " +
                 format_value(hi) + ", got " + format_value(value)};
}

}  // namespace

Result<void> validate(const SamplerParams& params) {
    if (!(params.temperature >= 0.0f) || std::isinf(params.temperature)) {
        return Error{"temperature must be a finite number >= 0, got " +
                     format_value(params.temperature)};
    }
    if (auto checked = check_range("top_p", params.top_p, 0.0f, 1.0f); !checked) return checked;
    if (auto checked = check_range("min_p", params.min_p, 0.0f, 1.0f); !checked) return checked;
    if (!(params.repeat_penalty > 0.0f) || std::isinf(params.repeat_penalty)) {
        return Error{"repeat_penalty must be a finite number > 0, got " +
                     format_value(params.repeat_penalty)};
    }
    for (const LogitBias& entry : params.logit_bias) {
        if (auto checked = check_range("logit_bias", entry.bias, -100.0f, 100.0f); !checked) {
            return checked;
        }
        if (entry.token < 0) {
            return Error{"logit_bias token id must be >= 0, got " + std::to_string(entry.token)};
        }
    }
    if (params.repeat_last_n < -1) {
        return Error{"repeat_last_n must be -1 (all context) or >= 0, got " +
                     std::to_string(params.repeat_last_n)};
    }
    if (auto checked = check_range("presence_penalty", params.presence_penalty, -2.0f, 2.0f);
        !checked) {
        return checked;
    }
    return check_range("frequency_penalty", params.frequency_penalty, -2.0f, 2.0f);
}

}  // namespace assistd
