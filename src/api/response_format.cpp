#include "api/response_format.h"

#include "engine/grammar/json_schema_grammar.h"

namespace assistd::api {

namespace {

constexpr size_t kMaxSchemaNameBytes = 64;  // OpenAI's limit on json_schema.name

std::shared_ptr<const Grammar> schema_grammar(JsonFields& format) {
    const nlohmann::json* spec = format.value("json_schema");
    if (spec == nullptr || !spec->is_object()) {
        format.fail("json_schema", "is required with type json_schema and must be an object");
        return nullptr;
    }
    JsonFields fields(*spec, format.param("json_schema."));
    std::string name;
    if (!fields.string("name", name)) fields.fail("name", "is required");
    if (!fields.failed() && (name.empty() || name.size() > kMaxSchemaNameBytes)) {
        fields.fail("name", "must be 1 to 64 characters");
    }
    std::string description;
    fields.string("description", description);
    bool strict = false;
    fields.boolean("strict", strict);
    const nlohmann::json* schema = fields.value("schema");
    fields.reject_unknown();
    if (fields.failed()) {
        format.fail(*fields.error());
        return nullptr;
    }
    // No schema: OpenAI then asks only for JSON, which any value is.
    const nlohmann::json any = nlohmann::json::object();
    const std::string path = fields.param("schema");
    Result<Grammar> grammar = json_schema_grammar(schema ? *schema : any, path);
    if (!grammar) {
        format.fail(invalid_request(
            path, "Invalid schema for response_format '" + name + "': " + grammar.error().message));
        return nullptr;
    }
    return std::make_shared<const Grammar>(std::move(*grammar));
}

}  // namespace

void read_response_format(JsonFields& fields, std::shared_ptr<const Grammar>& grammar) {
    const nlohmann::json* value = fields.value("response_format");
    if (value == nullptr || fields.failed()) return;
    if (!value->is_object()) {
        fields.fail("response_format", "must be an object, got " + json_kind_name(*value));
        return;
    }
    JsonFields format(*value, fields.param("response_format."));
    std::string type;
    if (!format.string("type", type)) format.fail("type", "is required");
    if (type == "json_object") {
        grammar = std::make_shared<const Grammar>(json_object_grammar());
    } else if (type == "json_schema") {
        grammar = schema_grammar(format);
    } else if (!format.failed() && type != "text") {
        format.fail("type", "'" + type +
                                "' is not supported: use text, json_object or "
                                "json_schema");
    }
    format.reject_unknown();
    if (format.failed()) fields.fail(*format.error());
}

}  // namespace assistd::api
