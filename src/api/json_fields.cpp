#include "api/json_fields.h"

#include <cmath>
#include <cstdio>

namespace assistd::api {

namespace {

std::string format_number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

}  // namespace

ApiResult<nlohmann::json> parse_json_object(std::string_view body) {
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& error) {
        // parse_error for bad syntax, out_of_range for a number too large for a double.
        return invalid_request(
            "", "We could not parse the JSON body of your request: " + std::string(error.what()));
    }
    if (!value.is_object()) {
        return invalid_request(
            "", "The request body must be a JSON object, got " + json_kind_name(value));
    }
    return value;
}

std::string json_kind_name(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object:
            return "an object";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::null:
            return "null";
        default:
            return "a number";
    }
}

bool is_empty_array(const nlohmann::json& value) {
    return value.is_array() && value.empty();
}

bool is_false(const nlohmann::json& value) {
    return value.is_boolean() && !value.get<bool>();
}

bool is_zero(const nlohmann::json& value) {
    return value.is_number_integer() && value.get<int64_t>() == 0;
}

std::string json_brief(const nlohmann::json& value) {
    constexpr size_t kMaxQuoted = 40;
    if (value.is_object() || value.is_array()) return json_kind_name(value);
    if (value.is_string() && value.get_ref<const std::string&>().size() > kMaxQuoted) {
        return "a string of " + std::to_string(value.get_ref<const std::string&>().size()) +
               " bytes";
    }
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

JsonFields::JsonFields(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

const nlohmann::json* JsonFields::value(std::string_view key) {
    known_.emplace(key);
    if (failed()) return nullptr;
    auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) return nullptr;
    return &*found;
}

bool JsonFields::number(std::string_view key, double min, double max, float& out) {
    const nlohmann::json* field = value(key);
    if (field == nullptr) return false;
    if (!field->is_number()) {
        fail(key, "must be a number, got " + json_kind_name(*field));
        return false;
    }
    const double number = field->get<double>();
    if (!(number >= min && number <= max)) {
        fail(key, "must be between " + format_number(min) + " and " + format_number(max) +
                      ", got " + format_number(number));
        return false;
    }
    out = static_cast<float>(number);
    return true;
}

bool JsonFields::integer(std::string_view key, int64_t min, int64_t max, int64_t& out) {
    const nlohmann::json* field = value(key);
    if (field == nullptr) return false;
    if (!field->is_number_integer()) {
        fail(key, "must be an integer, got " + json_brief(*field));
        return false;
    }
    // Unsigned values above INT64_MAX are out of every range asked for here.
    const bool huge = field->is_number_unsigned() && field->get<uint64_t>() > uint64_t(INT64_MAX);
    const int64_t number = huge ? INT64_MAX : field->get<int64_t>();
    if (huge || number < min || number > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      ", got " + field->dump());
        return false;
    }
    out = number;
    return true;
}

bool JsonFields::boolean(std::string_view key, bool& out) {
    const nlohmann::json* field = value(key);
    if (field == nullptr) return false;
    if (!field->is_boolean()) {
        fail(key, "must be a boolean, got " + json_kind_name(*field));
        return false;
    }
    out = field->get<bool>();
    return true;
}

bool JsonFields::string(std::string_view key, std::string& out) {
    const nlohmann::json* field = value(key);
    if (field == nullptr) return false;
    if (!field->is_string()) {
        fail(key, "must be a string, got " + json_kind_name(*field));
        return false;
    }
    out = field->get<std::string>();
    return true;
}

void JsonFields::ignore(std::string_view key) {
    known_.emplace(key);
}

void JsonFields::unsupported(std::string_view key,
                             const std::function<bool(const nlohmann::json&)>& inert,
                             std::string_view why) {
    const nlohmann::json* field = value(key);
    if (field != nullptr && !inert(*field)) {
        fail(key, "is not supported by this server: " + std::string(why));
    }
}

void JsonFields::reject_unknown() {
    if (failed()) return;
    for (const auto& [key, field] : object_.items()) {
        if (known_.find(key) == known_.end()) {
            error_ = invalid_request(param(key),
                                     "Unrecognized request argument supplied: " + param(key));
            return;
        }
    }
}

void JsonFields::fail(std::string_view key, std::string message) {
    if (failed()) return;
    error_ = invalid_request(param(key), param(key) + " " + message);
}

void JsonFields::fail(ApiError error) {
    if (!failed()) error_ = std::move(error);
}

}  // namespace assistd::api
