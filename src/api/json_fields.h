// JsonFields: reads the fields of one JSON object from a request, checking each field's type and
// range, and remembers the first problem as an ApiError naming the field ("temperature",
// "messages[2].content"). Reads after a problem do nothing, so a parser reads every field in
// order and checks error() once at the end.
//
//   JsonFields fields(body, "");
//   fields.number("temperature", 0, 2, params.temperature);   // absent or null: unchanged
//   fields.reject_unknown();                                    // OpenAI refuses unknown fields
//   if (auto error = fields.error()) return *error;
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "api/api_error.h"
#include "api/api_result.h"

namespace assistd::api {

// The request body as a JSON object: bad JSON and non-objects are 400 errors.
ApiResult<nlohmann::json> parse_json_object(std::string_view body);

// "a string", "an array", ... for messages.
std::string json_kind_name(const nlohmann::json& value);

// A value as an error message quotes it: scalars as JSON (long strings cut short), objects and
// arrays by kind only, so a hostile deeply nested value is never walked recursively.
std::string json_brief(const nlohmann::json& value);

// Values of unsupported fields that ask for nothing (see JsonFields::unsupported).
bool is_empty_array(const nlohmann::json& value);
bool is_false(const nlohmann::json& value);
bool is_zero(const nlohmann::json& value);

class JsonFields {
  public:
    // `path` prefixes every param name: "" at the top, "messages[0]." inside a message.
    JsonFields(const nlohmann::json& object, std::string path);

    // Each reader returns true when the field is present and not null, after storing it in
    // `out`; absent or null fields leave `out` unchanged.
    bool number(std::string_view key, double min, double max, float& out);
    bool integer(std::string_view key, int64_t min, int64_t max, int64_t& out);
    bool boolean(std::string_view key, bool& out);
    bool string(std::string_view key, std::string& out);

    // The raw value for fields with a shape of their own; nullptr when absent or null.
    const nlohmann::json* value(std::string_view key);

    // A field this server accepts and that changes nothing (user, metadata, store).
    void ignore(std::string_view key);
    // A feature this server does not implement: accepted only with a value that asks for nothing
    // (null, false, [], "none", ...), else 400 "<key> is not supported: <why>".
    void unsupported(std::string_view key, const std::function<bool(const nlohmann::json&)>& inert,
                     std::string_view why);

    // Any field not read above is refused, as OpenAI does.
    void reject_unknown();

    void fail(std::string_view key, std::string message);  // keeps the first problem
    void fail(ApiError error);
    const std::optional<ApiError>& error() const { return error_; }
    bool failed() const { return error_.has_value(); }
    std::string param(std::string_view key) const { return path_ + std::string(key); }

  private:
    const nlohmann::json& object_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
    std::optional<ApiError> error_;
};

}  // namespace assistd::api
