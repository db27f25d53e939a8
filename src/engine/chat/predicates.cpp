#include "engine/chat/predicates.h"

#include "engine/chat/arguments.h"
#include "engine/chat/operators.h"
#include "engine/chat/text_functions.h"

namespace assistd::chat {

namespace {

// Tests that compare the operand with one argument: `is equalto 3`, `is gt 2`, `is in [..]`.
bool comparison(std::string_view name, const Value& operand, const CallArguments& args,
                bool& known) {
    static constexpr std::pair<std::string_view, std::string_view> kOperators[] = {
        {"eq", "=="}, {"equalto", "=="}, {"==", "=="},      {"ne", "!="},
        {"!=", "!="}, {"lt", "<"},       {"lessthan", "<"}, {"<", "<"},
        {"le", "<="}, {"<=", "<="},      {"gt", ">"},       {"greaterthan", ">"},
        {">", ">"},   {"ge", ">="},      {">=", ">="},      {"in", "in"},
    };
    for (const auto& [test, op] : kOperators) {
        if (name != test) continue;
        known = true;
        const ArgumentReader reader(args, name, {"other"});
        return apply_binary(op, operand, reader.required(0), SIZE_MAX).truthy();
    }
    known = false;
    return false;
}

}  // namespace

bool apply_predicate(std::string_view name, const Value& v, const CallArguments& args) {
    if (name == "defined") return !v.is_undefined();
    if (name == "undefined") return v.is_undefined();
    if (name == "none") return v.is_none();
    if (name == "string") return v.is_string();
    if (name == "mapping") return v.is_dict();
    if (name == "iterable")
        return v.is_string() || v.is_list() || v.is_dict() || v.is_undefined() || v.is_generator();
    if (name == "sequence") return v.is_string() || v.is_list() || v.is_dict() || v.is_undefined();
    if (name == "number") return v.is_number() || v.is_bool();
    if (name == "integer") return v.is_int();
    if (name == "float") return v.is_float();
    if (name == "boolean") return v.is_bool();
    if (name == "true") return v.is_bool() && v.as_bool();
    if (name == "false") return v.is_bool() && !v.as_bool();
    if (name == "callable") return v.is_callable();
    if (name == "lower") return v.is_string() && ascii_lower(v.as_string()) == v.as_string();
    if (name == "upper") return v.is_string() && ascii_upper(v.as_string()) == v.as_string();
    if (name == "odd" || name == "even") {
        require_defined(v);
        if (!v.is_int())
            fail(TemplateErrorKind::Type, "'" + std::string(name) + "' needs an integer");
        return (v.as_int() % 2 != 0) == (name == "odd");
    }
    if (name == "divisibleby") {
        const ArgumentReader reader(args, name, {"num"});
        return apply_binary("%", v, reader.required(0), SIZE_MAX).as_double() == 0;
    }
    if (name == "sameas") {
        const ArgumentReader reader(args, name, {"other"});
        const Value& other = reader.required(0);
        return (v.is_none() && other.is_none()) ||
               (v.is_bool() && other.is_bool() && v.as_bool() == other.as_bool());
    }
    bool known = false;
    const bool result = comparison(name, v, args, known);
    if (!known) fail(TemplateErrorKind::Type, "No test named '" + std::string(name) + "'.");
    return result;
}

}  // namespace assistd::chat
