#include "ops/config_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace assistd::ops {

namespace {

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

Result<int64_t> parse_integer(std::string_view text, int64_t min, int64_t max) {
    const std::string expected =
        "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || stop != end || error == std::errc::invalid_argument) {
        return Error{expected + ", got " + quoted(text)};
    }
    if (error == std::errc::result_out_of_range || value < min || value > max) {
        return Error{expected + ", got " + std::string(text)};
    }
    return value;
}

Result<double> parse_number(std::string_view text, double min, double max) {
    const std::string expected =
        "expected a number from " + format_number(min) + " to " + format_number(max);
    double value = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || stop != end || error != std::errc() || !std::isfinite(value)) {
        return Error{expected + ", got " + quoted(text)};
    }
    if (value < min || value > max) return Error{expected + ", got " + std::string(text)};
    return value;
}

Result<bool> parse_boolean(std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return Error{"expected true or false, got " + quoted(text)};
}

std::string format_number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

}  // namespace assistd::ops
