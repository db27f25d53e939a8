#include "engine/chat/value.h"

namespace assistd::chat {

double Value::as_double() const {
    if (is_int()) return static_cast<double>(as_int());
    if (is_bool()) return as_bool() ? 1.0 : 0.0;
    return as_float();
}

const Value* Value::find(std::string_view key) const {
    const ValueDict* entries = nullptr;
    if (is_dict()) entries = &as_dict();
    if (is_namespace()) entries = &as_namespace().attributes;
    if (entries == nullptr) return nullptr;
    for (const auto& [name, value] : *entries) {
        if (name == key) return &value;
    }
    return nullptr;
}

bool Value::truthy() const {
    if (is_bool()) return as_bool();
    if (is_int()) return as_int() != 0;
    if (is_float()) return as_float() != 0.0;
    if (is_string()) return !as_string().empty();
    if (is_list()) return !as_list().empty();
    if (is_dict()) return !as_dict().empty();
    return is_namespace() || is_callable() || is_generator();
}

std::string_view Value::type_name() const {
    if (is_undefined()) return "Undefined";
    if (is_none()) return "NoneType";
    if (is_bool()) return "bool";
    if (is_int()) return "int";
    if (is_float()) return "float";
    if (is_string()) return "str";
    if (is_list()) return "list";
    if (is_dict()) return "dict";
    if (is_namespace()) return "Namespace";
    if (is_generator()) return "generator";
    return "function";
}

Value Value::from_json(const nlohmann::ordered_json& json) {
    switch (json.type()) {
        case nlohmann::ordered_json::value_t::null:
        case nlohmann::ordered_json::value_t::discarded:
            return nullptr;
        case nlohmann::ordered_json::value_t::boolean:
            return json.get<bool>();
        case nlohmann::ordered_json::value_t::number_integer:
            return json.get<int64_t>();
        case nlohmann::ordered_json::value_t::number_unsigned:
            return static_cast<int64_t>(json.get<uint64_t>());
        case nlohmann::ordered_json::value_t::number_float:
            return json.get<double>();
        case nlohmann::ordered_json::value_t::string:
            return json.get<std::string>();
        case nlohmann::ordered_json::value_t::array: {
            ValueList list;
            for (const auto& element : json) list.push_back(from_json(element));
            return list;
        }
        case nlohmann::ordered_json::value_t::object: {
            ValueDict dict;
            for (const auto& [key, element] : json.items())
                dict.emplace_back(key, from_json(element));
            return dict;
        }
        case nlohmann::ordered_json::value_t::binary:
            break;
    }
    return nullptr;
}

bool values_equal(const Value& a, const Value& b) {
    if ((a.is_number() || a.is_bool()) && (b.is_number() || b.is_bool())) {
        if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
        const int64_t x = a.is_bool() ? a.as_bool() : a.as_int();
        const int64_t y = b.is_bool() ? b.as_bool() : b.as_int();
        return x == y;
    }
    if (a.is_string() && b.is_string()) return a.as_string() == b.as_string();
    if (a.is_none() && b.is_none()) return true;
    if (a.is_undefined() && b.is_undefined()) return true;
    if (a.is_list() && b.is_list()) {
        const ValueList& x = a.as_list();
        const ValueList& y = b.as_list();
        if (x.size() != y.size()) return false;
        for (size_t i = 0; i < x.size(); ++i) {
            if (!values_equal(x[i], y[i])) return false;
        }
        return true;
    }
    if (a.is_dict() && b.is_dict()) {
        const ValueDict& x = a.as_dict();
        if (x.size() != b.as_dict().size()) return false;
        for (const auto& [key, value] : x) {
            const Value* other = b.find(key);
            if (other == nullptr || !values_equal(value, *other)) return false;
        }
        return true;
    }
    return false;
}

}  // namespace assistd::chat
