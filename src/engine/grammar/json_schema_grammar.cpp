#include "engine/grammar/json_schema_grammar.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "engine/grammar/json_grammar.h"

namespace assistd {

namespace {

using json = nlohmann::json;
using Sequence = GrammarBuilder::Sequence;

constexpr int kMaxDepth = 64;             // nested schemas, so compiling cannot overflow the stack
constexpr size_t kMaxElements = 1 << 20;  // grammar size, so a schema cannot exhaust memory

const std::set<std::string, std::less<>> kAnnotations = {
    "title", "description", "default", "examples", "$schema", "$id", "$comment"};
const std::set<std::string, std::less<>> kKeywords = {
    "type",      "properties", "required",   "additionalProperties",
    "items",     "minItems",   "maxItems",   "minLength",
    "maxLength", "enum",       "const",      "anyOf",
    "$ref",      "$defs",      "definitions"};

// Checked before dump(), which recurses: a hostile value could be nested a million deep.
bool deeper_than(const json& value, int limit) {
    if (!value.is_structured()) return false;
    if (limit == 0) return true;
    for (const json& item : value) {
        if (deeper_than(item, limit - 1)) return true;
    }
    return false;
}

class SchemaCompiler {
  public:
    SchemaCompiler(GrammarBuilder& builder, const json& root, std::string path)
        : root_(root), root_path_(std::move(path)), b_(builder) {}

    // After the first error, compiling goes on (cheaply) but its result is that error.
    int32_t compile(const json& schema, const std::string& path) {
        if (depth_ >= kMaxDepth) {
            return fail(path, "nests deeper than " + std::to_string(kMaxDepth));
        }
        ++depth_;
        const int32_t rule = compile_schema(schema, path);
        --depth_;
        if (b_.size() > kMaxElements) return fail(root_path_, "is too large to compile");
        return rule;
    }

    const std::optional<Error>& error() const { return error_; }

  private:
    // Records the first error; the rule returned stands in for the schema that failed.
    int32_t fail(const std::string& path, const std::string& what) {
        if (!error_) error_ = Error{path + " " + what};
        return b_.rule_of({{}});
    }

    int32_t compile_schema(const json& schema, const std::string& path) {
        if (schema.is_boolean()) {
            if (!schema.get<bool>()) return fail(path, "is false: no value can satisfy it");
            return json_.any_value();
        }
        if (!schema.is_object())
            return fail(path, "must be a schema object, got " + std::string(schema.type_name()));
        for (const auto& [key, value] : schema.items()) {
            if (!kKeywords.contains(key) && !kAnnotations.contains(key)) {
                return fail(path, "uses '" + key + "', which is not supported");
            }
        }
        if (auto ref = schema.find("$ref"); ref != schema.end()) return reference(*ref, path);
        if (auto value = schema.find("const"); value != schema.end()) {
            if (deeper_than(*value, kMaxDepth)) return fail(path + ".const", "nests too deep");
            return b_.rule_of({b_.literal(value->dump())});
        }
        if (auto values = schema.find("enum"); values != schema.end())
            return enumeration(*values, path);
        if (auto options = schema.find("anyOf"); options != schema.end())
            return any_of(*options, path);
        auto type = schema.find("type");
        if (type == schema.end()) return untyped(schema, path);
        if (type->is_string()) return typed(schema, type->get<std::string>(), path);
        if (!type->is_array() || type->empty())
            return fail(path + ".type", "must be a string or a non-empty array");
        const int32_t rule = b_.new_rule();
        for (const json& name : *type) {
            if (!name.is_string()) return fail(path + ".type", "must list type names");
            b_.alternative(rule,
                           {GrammarBuilder::rule(typed(schema, name.get<std::string>(), path))});
        }
        return rule;
    }

    // No type: what the other keywords imply, or any value.
    int32_t untyped(const json& schema, const std::string& path) {
        if (schema.contains("properties") || schema.contains("required") ||
            schema.contains("additionalProperties")) {
            return object(schema, path);
        }
        if (schema.contains("items") || schema.contains("minItems") ||
            schema.contains("maxItems")) {
            return array(schema, path);
        }
        if (schema.contains("minLength") || schema.contains("maxLength"))
            return string(schema, path);
        return json_.any_value();
    }

    int32_t typed(const json& schema, const std::string& type, const std::string& path) {
        if (type == "object") return object(schema, path);
        if (type == "array") return array(schema, path);
        if (type == "string") return string(schema, path);
        if (type == "number") return json_.number();
        if (type == "integer") return json_.integer();
        if (type == "boolean") return json_.boolean();
        if (type == "null") return json_.null();
        return fail(path + ".type", "'" + type + "' is not a JSON Schema type");
    }

    int32_t enumeration(const json& values, const std::string& path) {
        if (!values.is_array() || values.empty())
            return fail(path + ".enum", "must be a non-empty array");
        const int32_t rule = b_.new_rule();
        for (const json& value : values) {
            if (deeper_than(value, kMaxDepth)) return fail(path + ".enum", "nests too deep");
            b_.alternative(rule, b_.literal(value.dump()));
        }
        return rule;
    }

    int32_t any_of(const json& options, const std::string& path) {
        if (!options.is_array() || options.empty())
            return fail(path + ".anyOf", "must be a non-empty array");
        const int32_t rule = b_.new_rule();
        for (size_t i = 0; i < options.size(); ++i) {
            const std::string option_path = path + ".anyOf[" + std::to_string(i) + "]";
            b_.alternative(rule, {GrammarBuilder::rule(compile(options[i], option_path))});
        }
        return rule;
    }

    // The rule is reserved before the target is compiled, so recursive schemas refer to it.
    int32_t reference(const json& ref, const std::string& path) {
        if (!ref.is_string()) return fail(path + ".$ref", "must be a string");
        const std::string target = ref.get<std::string>();
        if (auto known = refs_.find(target); known != refs_.end()) return known->second;
        const json* schema = resolve(target);
        if (schema == nullptr) {
            return fail(path + ".$ref", "'" + target +
                                            "' is not supported: only \"#\", \"#/$defs/NAME\" and "
                                            "\"#/definitions/NAME\" are");
        }
        const int32_t rule = b_.new_rule();
        refs_.emplace(target, rule);
        b_.alternative(rule,
                       {GrammarBuilder::rule(compile(*schema, root_path_ + target.substr(1)))});
        return rule;
    }

    const json* resolve(const std::string& target) const {
        if (target == "#") return &root_;
        for (const char* section : {"$defs", "definitions"}) {
            const std::string prefix = std::string("#/") + section + "/";
            if (!target.starts_with(prefix)) continue;
            auto defs = root_.find(section);
            if (defs == root_.end() || !defs->is_object()) return nullptr;
            auto found = defs->find(target.substr(prefix.size()));
            return found == defs->end() ? nullptr : &*found;
        }
        return nullptr;
    }

    // A count keyword: absent, or an integer in 0..kMaxSchemaCount.
    std::optional<int64_t> count(const json& schema, const char* key, const std::string& path) {
        auto value = schema.find(key);
        if (value == schema.end()) return std::nullopt;
        if (!value->is_number_integer() || value->get<int64_t>() < 0 ||
            value->get<int64_t>() > kMaxSchemaCount) {
            fail(path + "." + key, "must be an integer in 0.." + std::to_string(kMaxSchemaCount));
            return std::nullopt;
        }
        return value->get<int64_t>();
    }

    std::pair<int64_t, std::optional<int64_t>> bounds(const json& schema, const char* min_key,
                                                      const char* max_key,
                                                      const std::string& path) {
        const int64_t min = count(schema, min_key, path).value_or(0);
        const std::optional<int64_t> max = count(schema, max_key, path);
        if (max && *max < min) {
            fail(path + "." + max_key, std::string("is below ") + min_key);
            return {min, min};
        }
        return {min, max};
    }

    int32_t string(const json& schema, const std::string& path) {
        auto [min, max] = bounds(schema, "minLength", "maxLength", path);
        if (min == 0 && !max) return json_.string();
        return json_.string(min, max);
    }

    int32_t array(const json& schema, const std::string& path) {
        auto [min, max] = bounds(schema, "minItems", "maxItems", path);
        auto items = schema.find("items");
        const int32_t item =
            items == schema.end() ? json_.any_value() : compile(*items, path + ".items");
        Sequence array = b_.literal("[");
        array.push_back(GrammarBuilder::rule(json_.list(item, min, max)));
        array += b_.literal("]");
        return b_.rule_of({array});
    }

    int32_t object(const json& schema, const std::string& path) {
        auto additional = schema.find("additionalProperties");
        if (additional != schema.end() && !additional->is_boolean()) {
            return fail(path + ".additionalProperties",
                        "as a schema is not supported: only true or false is");
        }
        auto properties = schema.find("properties");
        if (properties != schema.end() && !properties->is_object()) {
            return fail(path + ".properties", "must be an object");
        }
        const std::set<std::string> required = required_names(schema, path);
        const bool listed_only =
            properties != schema.end() || (additional != schema.end() && !additional->get<bool>());
        if (!listed_only) return json_.any_object();
        std::vector<Member> members;
        if (properties != schema.end()) {
            for (const auto& [name, property] : properties->items()) {
                const int32_t value = compile(property, path + ".properties." + name);
                members.push_back({name, value, required.contains(name)});
            }
        }
        for (const std::string& name : required) {
            if (properties == schema.end() || !properties->contains(name)) {
                return fail(path + ".required",
                            "names '" + name + "', which properties does not define");
            }
        }
        Sequence object = b_.literal("{");
        object.push_back(GrammarBuilder::rule(members_from(members)));
        object += b_.literal("}");
        return b_.rule_of({object});
    }

    std::set<std::string> required_names(const json& schema, const std::string& path) {
        std::set<std::string> names;
        auto required = schema.find("required");
        if (required == schema.end()) return names;
        if (!required->is_array()) {
            fail(path + ".required", "must be an array of names");
            return names;
        }
        for (const json& name : *required) {
            if (!name.is_string()) {
                fail(path + ".required", "must be an array of names");
                return names;
            }
            names.insert(name.get<std::string>());
        }
        return names;
    }

    struct Member {
        std::string name;
        int32_t value;
        bool required;
    };

    // rest[i][first]: members i.. in order, optional ones skippable; `first` means no member has
    // been written yet, so none of these starts with a comma.
    int32_t members_from(const std::vector<Member>& members) {
        const int32_t none = b_.rule_of({{}});
        int32_t rest_first = none, rest_later = none;
        for (size_t i = members.size(); i-- > 0;) {
            Sequence member = b_.literal(json(members[i].name).dump() + ":");
            member.push_back(GrammarBuilder::rule(json_.space()));
            member.push_back(GrammarBuilder::rule(members[i].value));
            Sequence later = b_.literal(",");
            later.push_back(GrammarBuilder::rule(json_.space()));
            later += member;
            Sequence first = member;
            first.push_back(GrammarBuilder::rule(rest_later));
            later.push_back(GrammarBuilder::rule(rest_later));
            std::vector<Sequence> first_options{first}, later_options{later};
            if (!members[i].required) {
                first_options.push_back({GrammarBuilder::rule(rest_first)});
                later_options.push_back({GrammarBuilder::rule(rest_later)});
            }
            rest_first = b_.rule_of(first_options);
            rest_later = b_.rule_of(later_options);
        }
        return rest_first;
    }

    const json& root_;
    std::string root_path_;
    GrammarBuilder& b_;
    JsonGrammar json_{b_};
    std::map<std::string, int32_t> refs_;
    int depth_ = 0;
    std::optional<Error> error_;
};

}  // namespace

Result<int32_t> add_json_schema_rule(GrammarBuilder& builder, const nlohmann::json& schema,
                                     std::string_view path) {
    SchemaCompiler compiler(builder, schema, std::string(path));
    const int32_t rule = compiler.compile(schema, std::string(path));
    if (compiler.error()) return *compiler.error();
    return rule;
}

Result<Grammar> json_schema_grammar(const nlohmann::json& schema, std::string_view path) {
    GrammarBuilder builder;
    Result<int32_t> root = add_json_schema_rule(builder, schema, path);
    if (!root) return root.error();
    return std::move(builder).build(*root);
}

Grammar json_object_grammar() {
    GrammarBuilder builder;
    JsonGrammar json(builder);
    const int32_t root = json.any_object();
    return std::move(builder).build(root);
}

}  // namespace assistd
