// A template value with Python's semantics as jinja2 sees them: undefined, None, bool, int,
// float, str, list, dict (insertion-ordered, string keys), namespace() objects and callables
// (macros and the globals raise_exception, namespace, range, strftime_now).
//
// Lists and dicts are shared and never changed once built (HF renders in jinja2's
// ImmutableSandboxedEnvironment); only a namespace's attributes can be set.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace assistd::chat {

class Value;
using ValueList = std::vector<Value>;
using ValueDict = std::vector<std::pair<std::string, Value>>;

struct CallArguments {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};

struct Callable {
    std::string name;
    std::function<Value(CallArguments&)> call;
};

struct Namespace {
    ValueDict attributes;
};

// What map, select, selectattr, reject, rejectattr, unique and reverse return in jinja2: items
// only a loop, `list` or another such filter can read; printing, indexing or tojson on one fails
// or prints as Python would, and it is always true, however empty.
struct Generator {
    ValueList items;
};

// What an undefined value says when it is used where jinja2 raises UndefinedError.
struct Undefined {
    std::string message;
};

class Value {
  public:
    Value() : data_(Undefined{}) {}
    Value(std::nullptr_t) : data_(nullptr) {}
    Value(bool b) : data_(b) {}
    Value(int64_t i) : data_(i) {}
    Value(int i) : data_(int64_t{i}) {}
    Value(double d) : data_(d) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(ValueList list) : data_(std::make_shared<const ValueList>(std::move(list))) {}
    Value(ValueDict dict) : data_(std::make_shared<const ValueDict>(std::move(dict))) {}
    Value(std::shared_ptr<Namespace> ns) : data_(std::move(ns)) {}
    Value(std::shared_ptr<const Callable> callable) : data_(std::move(callable)) {}

    static Value undefined(std::string message) { return Value(Undefined{std::move(message)}); }
    // A string marked safe (`|safe`): jinja2's Markup, whose `+` HTML-escapes a plain string.
    static Value markup(std::string text) {
        Value value(std::move(text));
        value.markup_ = true;
        return value;
    }
    static Value generator(ValueList items) {
        return Value(std::make_shared<const Generator>(Generator{std::move(items)}));
    }

    bool is_undefined() const { return std::holds_alternative<Undefined>(data_); }
    bool is_none() const { return std::holds_alternative<std::nullptr_t>(data_); }
    bool is_bool() const { return std::holds_alternative<bool>(data_); }
    bool is_int() const { return std::holds_alternative<int64_t>(data_); }
    bool is_float() const { return std::holds_alternative<double>(data_); }
    bool is_number() const { return is_int() || is_float(); }  // bool is not, unlike Python
    bool is_string() const { return std::holds_alternative<std::string>(data_); }
    bool is_markup() const { return markup_; }
    bool is_list() const { return std::holds_alternative<ListPtr>(data_); }
    bool is_dict() const { return std::holds_alternative<DictPtr>(data_); }
    bool is_namespace() const { return std::holds_alternative<std::shared_ptr<Namespace>>(data_); }
    bool is_callable() const { return std::holds_alternative<CallablePtr>(data_); }
    bool is_generator() const { return std::holds_alternative<GeneratorPtr>(data_); }

    bool as_bool() const { return std::get<bool>(data_); }
    int64_t as_int() const { return std::get<int64_t>(data_); }
    double as_float() const { return std::get<double>(data_); }
    double as_double() const;  // int, float or bool widened
    const std::string& as_string() const { return std::get<std::string>(data_); }
    const ValueList& as_list() const { return *std::get<ListPtr>(data_); }
    const ValueDict& as_dict() const { return *std::get<DictPtr>(data_); }
    Namespace& as_namespace() const { return *std::get<std::shared_ptr<Namespace>>(data_); }
    const Callable& as_callable() const { return *std::get<CallablePtr>(data_); }
    const ValueList& generated_items() const { return std::get<GeneratorPtr>(data_)->items; }
    const std::string& undefined_message() const { return std::get<Undefined>(data_).message; }

    // The dict entry or namespace attribute `key`, or nullptr.
    const Value* find(std::string_view key) const;

    // Python's bool(): empty strings and containers, 0, None and undefined are false.
    bool truthy() const;

    // Python's type name as jinja2's messages write it: "dict", "list", "str", "NoneType", ...
    std::string_view type_name() const;

    static Value from_json(const nlohmann::ordered_json& json);

  private:
    using ListPtr = std::shared_ptr<const ValueList>;
    using DictPtr = std::shared_ptr<const ValueDict>;
    using CallablePtr = std::shared_ptr<const Callable>;
    using GeneratorPtr = std::shared_ptr<const Generator>;
    explicit Value(Undefined undefined) : data_(std::move(undefined)) {}
    explicit Value(GeneratorPtr generator) : data_(std::move(generator)) {}

    std::variant<Undefined, std::nullptr_t, bool, int64_t, double, std::string, ListPtr, DictPtr,
                 std::shared_ptr<Namespace>, CallablePtr, GeneratorPtr>
        data_;
    bool markup_ = false;
};

// Python's ==: numbers compare by value across int/float/bool, containers element by element.
bool values_equal(const Value& a, const Value& b);

}  // namespace assistd::chat
