#include "api/chat_tools.h"

#include <set>

#include "engine/chat/tool_call_grammar.h"
#include "engine/grammar/json_schema_grammar.h"

namespace assistd::api {

namespace {

constexpr size_t kMaxTools = 128;     // OpenAI's limit
constexpr size_t kMaxNameBytes = 64;  // OpenAI's limit on a function name

// OpenAI's rule for function names: ^[a-zA-Z0-9_-]{1,64}$.
bool is_function_name(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameBytes) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string parameters_path(size_t index) {
    return "tools[" + std::to_string(index) + "].function.parameters";
}

std::optional<ToolFunction> read_function(JsonFields& top, const nlohmann::json& tool,
                                          size_t index) {
    const std::string path = "tools[" + std::to_string(index) + "]";
    if (!tool.is_object()) {
        top.fail(invalid_request(path, path + " must be an object, got " + json_kind_name(tool)));
        return std::nullopt;
    }
    JsonFields fields(tool, path + ".");
    const nlohmann::json* spec = function_entry(fields, "function tools");
    fields.reject_unknown();
    if (fields.failed()) {
        top.fail(*fields.error());
        return std::nullopt;
    }
    JsonFields function(*spec, path + ".function.");
    ToolFunction result;
    if (!function.string("name", result.name)) function.fail("name", "is required");
    if (!function.failed() && !is_function_name(result.name)) {
        function.fail("name",
                      "must be 1 to 64 letters, digits, '_' or '-', got '" + result.name + "'");
    }
    std::string description;
    function.string("description", description);
    function.boolean("strict", result.strict);
    result.parameters = {{"type", "object"}};
    if (const nlohmann::json* parameters = function.value("parameters")) {
        if (parameters->is_object()) {
            result.parameters = *parameters;
        } else {
            function.fail("parameters",
                          "must be a JSON Schema object, got " + json_kind_name(*parameters));
        }
    }
    function.reject_unknown();
    if (function.failed()) {
        top.fail(*function.error());
        return std::nullopt;
    }
    return result;
}

void read_functions(JsonFields& fields, const nlohmann::ordered_json& ordered_body,
                    ChatTools& tools) {
    const nlohmann::json* list = fields.value("tools");
    if (list == nullptr || fields.failed()) return;
    if (!list->is_array() || list->size() > kMaxTools) {
        fields.fail("tools", "must be an array of at most 128 tools");
        return;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < list->size(); ++i) {
        std::optional<ToolFunction> function = read_function(fields, (*list)[i], i);
        if (!function) return;
        if (!names.insert(function->name).second) {
            const std::string param = "tools[" + std::to_string(i) + "].function.name";
            fields.fail(invalid_request(
                param, param + " '" + function->name + "' is the name of an earlier tool too"));
            return;
        }
        tools.functions.push_back(std::move(*function));
    }
    tools.definitions = ordered_body.at("tools");
}

void read_tool_choice(JsonFields& fields, ChatTools& tools) {
    const nlohmann::json* choice = fields.value("tool_choice");
    if (choice == nullptr || fields.failed()) return;
    if (*choice == "auto") return;
    if (*choice == "none") {
        tools.choice = ToolChoice::None;
        return;
    }
    if (*choice == "required") {
        tools.choice = ToolChoice::Required;
    } else if (choice->is_object() && choice->size() == 2 &&
               choice->value("type", "") == "function" && choice->contains("function") &&
               (*choice)["function"].is_object() && (*choice)["function"].size() == 1 &&
               (*choice)["function"].value("name", nlohmann::json()).is_string()) {
        tools.choice = ToolChoice::Named;
        tools.forced_name = (*choice)["function"]["name"].get<std::string>();
    } else {
        fields.fail("tool_choice",
                    "must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", "
                    "\"function\": {\"name\": \"...\"}}, got " +
                        json_brief(*choice));
        return;
    }
    if (tools.functions.empty()) {
        fields.fail("tool_choice", "is only allowed when tools are given");
        return;
    }
    const bool known = std::any_of(
        tools.functions.begin(), tools.functions.end(),
        [&tools](const ToolFunction& function) { return function.name == tools.forced_name; });
    if (tools.choice == ToolChoice::Named && !known) {
        fields.fail(invalid_request("tool_choice.function.name",
                                    "tool_choice.function.name '" + tools.forced_name +
                                        "' is not the name of any of the tools"));
    }
}

// Whether decoding will be held to calls of `function`.
bool is_forced(const ChatTools& tools, const ToolFunction& function) {
    return tools.choice == ToolChoice::Required ||
           (tools.choice == ToolChoice::Named && function.name == tools.forced_name);
}

std::vector<chat::ToolSchema> forced_schemas(const ChatTools& tools) {
    std::vector<chat::ToolSchema> schemas;
    for (size_t i = 0; i < tools.functions.size(); ++i) {
        const ToolFunction& function = tools.functions[i];
        if (is_forced(tools, function)) {
            schemas.push_back({function.name, function.parameters, parameters_path(i)});
        }
    }
    return schemas;
}

// Strict tools and forced ones must compile: a schema feature the compiler lacks is refused now,
// not discovered when decoding starts.
void check_schemas(JsonFields& fields, const ChatTools& tools) {
    if (fields.failed()) return;
    for (size_t i = 0; i < tools.functions.size(); ++i) {
        const ToolFunction& function = tools.functions[i];
        if (!function.strict && !is_forced(tools, function)) continue;
        const std::string path = parameters_path(i);
        Result<Grammar> grammar = json_schema_grammar(function.parameters, path);
        if (!grammar) {
            fields.fail(invalid_request(path, "Invalid schema for function '" + function.name +
                                                  "': " + grammar.error().message));
            return;
        }
    }
}

}  // namespace

const nlohmann::json* function_entry(JsonFields& fields, std::string_view kind) {
    std::string type;
    if (!fields.string("type", type)) fields.fail("type", "is required");
    if (!fields.failed() && type != "function") {
        fields.fail("type", "'" + type + "' is not supported: only " + std::string(kind) + " are");
    }
    const nlohmann::json* function = fields.value("function");
    if (!fields.failed() && (function == nullptr || !function->is_object())) {
        fields.fail("function", "is required and must be an object");
    }
    return fields.failed() ? nullptr : function;
}

void read_chat_tools(JsonFields& fields, const nlohmann::ordered_json& ordered_body,
                     ChatTools& tools) {
    read_functions(fields, ordered_body, tools);
    read_tool_choice(fields, tools);
    fields.boolean("parallel_tool_calls", tools.parallel);
    check_schemas(fields, tools);
}

ApiResult<std::shared_ptr<const Grammar>> forced_tool_grammar(const ChatTools& tools,
                                                              chat::ToolCallSyntax syntax) {
    if (!tools.forced()) return std::shared_ptr<const Grammar>();
    const std::vector<chat::ToolSchema> schemas = forced_schemas(tools);
    // A named function is called once, as OpenAI does; "required" may call several tools.
    const bool parallel = tools.parallel && tools.choice == ToolChoice::Required;
    Result<Grammar> grammar = chat::tool_call_grammar(syntax, schemas, parallel);
    if (!grammar) return invalid_request("tools", grammar.error().message);
    return std::make_shared<const Grammar>(std::move(*grammar));
}

}  // namespace assistd::api
