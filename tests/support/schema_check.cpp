#include "support/schema_check.h"

#include <cmath>

namespace assistd::testing {

namespace {

using json = nlohmann::json;

// Characters as JSON Schema counts them: code points.
size_t code_points(const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "number") return value.is_number();
    if (type == "integer") {
        return value.is_number_integer() ||
               (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>());
    }
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    return false;
}

class Checker {
  public:
    explicit Checker(const json& root) : root_(root) {}

    std::string check(const json& value, const json& schema, const std::string& at) const {
        if (schema.is_boolean()) return schema.get<bool>() ? "" : at + ": false schema";
        if (auto ref = schema.find("$ref"); ref != schema.end()) {
            return check(value, resolve(ref->get<std::string>()), at);
        }
        if (auto c = schema.find("const"); c != schema.end() && value != *c) {
            return at + ": not the const " + c->dump();
        }
        if (auto e = schema.find("enum"); e != schema.end()) {
            if (std::find(e->begin(), e->end(), value) == e->end()) return at + ": not in enum";
        }
        if (auto any = schema.find("anyOf"); any != schema.end()) {
            bool one = false;
            for (const json& option : *any) one = one || check(value, option, at).empty();
            if (!one) return at + ": matches no anyOf option";
        }
        if (auto type = schema.find("type"); type != schema.end()) {
            bool typed = false;
            if (type->is_string()) typed = has_type(value, *type);
            for (const json& t : type->is_array() ? *type : json::array()) {
                typed = typed || has_type(value, t);
            }
            if (!typed) return at + ": not of type " + type->dump();
        }
        if (value.is_string()) return check_string(value.get<std::string>(), schema, at);
        if (value.is_array()) return check_array(value, schema, at);
        if (value.is_object()) return check_object(value, schema, at);
        return "";
    }

  private:
    const json& resolve(const std::string& ref) const {
        if (ref == "#") return root_;
        const size_t slash = ref.rfind('/');
        return root_.at(ref.substr(2, slash - 2)).at(ref.substr(slash + 1));
    }

    std::string check_string(const std::string& text, const json& schema,
                             const std::string& at) const {
        const size_t n = code_points(text);
        if (n < schema.value("minLength", size_t{0})) return at + ": shorter than minLength";
        if (n > schema.value("maxLength", SIZE_MAX)) return at + ": longer than maxLength";
        return "";
    }

    std::string check_array(const json& value, const json& schema, const std::string& at) const {
        if (value.size() < schema.value("minItems", size_t{0})) return at + ": below minItems";
        if (value.size() > schema.value("maxItems", SIZE_MAX)) return at + ": above maxItems";
        if (auto items = schema.find("items"); items != schema.end()) {
            for (size_t i = 0; i < value.size(); ++i) {
                std::string v = check(value[i], *items, at + "/" + std::to_string(i));
                if (!v.empty()) return v;
            }
        }
        return "";
    }

    std::string check_object(const json& value, const json& schema, const std::string& at) const {
        const json properties = schema.value("properties", json::object());
        for (const json& name : schema.value("required", json::array())) {
            if (!value.contains(name.get<std::string>())) return at + ": lacks " + name.dump();
        }
        for (const auto& [name, member] : value.items()) {
            auto property = properties.find(name);
            if (property == properties.end()) {
                if (schema.value("additionalProperties", true) == false) {
                    return at + ": has unlisted " + name;
                }
                continue;
            }
            std::string v = check(member, *property, at + "/" + name);
            if (!v.empty()) return v;
        }
        return "";
    }

    const json& root_;
};

}  // namespace

std::string schema_violation(const nlohmann::json& value, const nlohmann::json& schema) {
    return Checker(schema).check(value, schema, "");
}

}  // namespace assistd::testing
