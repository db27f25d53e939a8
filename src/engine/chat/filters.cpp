#include "engine/chat/filters.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "engine/chat/arguments.h"
#include "engine/chat/methods.h"
#include "engine/chat/operators.h"
#include "engine/chat/predicates.h"
#include "engine/chat/text_functions.h"
#include "engine/chat/value_text.h"

namespace assistd::chat {

namespace {

// What a filter iterates: a list as is, a dict's keys, a string's code points, undefined as empty.
ValueList sequence_of(const Value& value) {
    if (value.is_list()) return value.as_list();
    if (value.is_generator()) return value.generated_items();
    ValueList items;
    if (value.is_dict()) {
        for (const auto& [key, element] : value.as_dict()) items.emplace_back(key);
    } else if (value.is_string()) {
        for (const std::string_view point : code_points(value.as_string()))
            items.emplace_back(std::string(point));
    } else if (!value.is_undefined()) {
        fail(TemplateErrorKind::Type,
             "'" + std::string(value.type_name()) + "' object is not iterable");
    }
    return items;
}

// An attribute path like "function.name", looked up the way jinja2's make_attrgetter does.
Value attribute_path(const Value& item, std::string_view path) {
    Value current = item;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string_view part = path.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (current.is_undefined()) return current;
        int64_t index = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
        current = ec == std::errc() && end == part.data() + part.size()
                      ? get_item(current, Value(index))
                      : get_attribute(current, part);
        if (dot == std::string_view::npos) return current;
        start = dot + 1;
    }
}

CallArguments tail_arguments(const CallArguments& args, size_t from) {
    CallArguments rest;
    for (size_t i = from; i < args.positional.size(); ++i)
        rest.positional.push_back(args.positional[i]);
    rest.keyword = args.keyword;
    return rest;
}

// selectattr / rejectattr / select / reject: keep items whose (attribute's) test result is `keep`.
Value select_items(const Value& operand, const CallArguments& args, bool by_attribute, bool keep) {
    const size_t test_position = by_attribute ? 1 : 0;
    if (!operand.truthy()) return Value::generator({});  // jinja2 checks `if value:` first
    if (by_attribute && args.positional.empty())
        fail(TemplateErrorKind::Type, "selectattr/rejectattr need an attribute");
    ValueList kept;
    const CallArguments test_args = tail_arguments(args, test_position + 1);
    for (const Value& item : sequence_of(operand)) {
        const Value subject =
            by_attribute ? attribute_path(item, python_str(args.positional[0])) : item;
        const bool passed =
            args.positional.size() > test_position
                ? apply_predicate(python_str(args.positional[test_position]), subject, test_args)
                : subject.truthy();
        if (passed == keep) kept.push_back(item);
    }
    return Value::generator(std::move(kept));
}

Value map_items(const Value& operand, const CallArguments& args, size_t max_bytes) {
    ValueList mapped;
    if (!operand.truthy()) return Value::generator({});
    for (const auto& [name, value] : args.keyword) {
        if (name != "attribute" && name != "default")
            fail(TemplateErrorKind::Type,
                 "map() got an unexpected keyword argument '" + name + "'");
    }
    const Value* attribute = nullptr;
    const Value* fallback = nullptr;
    for (const auto& [name, value] : args.keyword)
        (name == "attribute" ? attribute : fallback) = &value;
    if (attribute != nullptr) {
        for (const Value& item : sequence_of(operand)) {
            Value value = attribute_path(item, python_str(*attribute));
            mapped.push_back(value.is_undefined() && fallback != nullptr ? *fallback : value);
        }
        return Value::generator(std::move(mapped));
    }
    if (args.positional.empty())
        fail(TemplateErrorKind::Type, "map() needs a filter name or attribute=");
    const std::string filter = python_str(args.positional[0]);
    const CallArguments filter_args = tail_arguments(args, 1);
    for (const Value& item : sequence_of(operand))
        mapped.push_back(apply_filter(filter, item, filter_args, max_bytes));
    return Value::generator(std::move(mapped));
}

Value join_items(const Value& operand, const CallArguments& args, size_t max_bytes) {
    const ArgumentReader reader(args, "join", {"d", "attribute"});
    const std::string separator = reader.string(0, "");
    const Value* attribute = reader.find(1);
    std::string out;
    bool first = true;
    for (const Value& item : sequence_of(operand)) {
        if (!first) out += separator;
        first = false;
        out +=
            python_str(attribute != nullptr ? attribute_path(item, python_str(*attribute)) : item);
        if (out.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
    }
    return out;
}

// jinja2's indent: lines after the first get `width` spaces (or the width string); blank lines
// only with blank=true, the first line only with first=true.
Value indent_text(const Value& operand, const CallArguments& args, size_t max_bytes) {
    const ArgumentReader reader(args, "indent", {"width", "first", "blank"});
    const Value width = reader.get(0, int64_t{4});
    std::string indention;
    if (width.is_string()) {
        indention = width.as_string();
    } else {
        const int64_t n = reader.integer(0, 4);
        if (n < 0 || static_cast<size_t>(n) > max_bytes)
            fail(TemplateErrorKind::Limit, "indent width out of range");
        indention.assign(static_cast<size_t>(n), ' ');
    }
    const bool first = reader.get(1, false).truthy();
    const bool blank = reader.get(2, false).truthy();
    std::vector<std::string> lines =
        python_split(python_str(operand) + "\n", std::string_view("\n"), -1);
    lines.pop_back();  // splitlines() drops the piece after the final newline
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            out += '\n';
            if (blank || !lines[i].empty()) out += indention;
        }
        out += lines[i];
        if (out.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
    }
    return first ? indention + out : out;
}

Value unique_items(const Value& operand, const CallArguments& args) {
    const ArgumentReader reader(args, "unique", {"case_sensitive", "attribute"});
    const bool case_sensitive = reader.get(0, false).truthy();
    const Value* attribute = reader.find(1);
    ValueList kept;
    std::vector<Value> seen;
    for (const Value& item : sequence_of(operand)) {
        Value key = attribute != nullptr ? attribute_path(item, python_str(*attribute)) : item;
        if (!case_sensitive && key.is_string()) key = ascii_lower(key.as_string());
        bool repeated = false;
        for (const Value& s : seen) repeated = repeated || values_equal(s, key);
        if (repeated) continue;
        seen.push_back(key);
        kept.push_back(item);
    }
    return Value::generator(std::move(kept));
}

Value to_int(const Value& operand, const CallArguments& args) {
    const ArgumentReader reader(args, "int", {"default", "base"});
    const Value fallback = reader.get(0, int64_t{0});
    if (operand.is_int()) return operand;
    if (operand.is_bool()) return int64_t{operand.as_bool()};
    if (operand.is_float()) {
        const double d = operand.as_float();
        if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return fallback;
        return static_cast<int64_t>(d);
    }
    if (!operand.is_string()) return fallback;
    const std::string text = python_strip(operand.as_string(), std::nullopt, StripSide::Both);
    int64_t value = 0;
    const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value,
                                           static_cast<int>(reader.integer(1, 10)));
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return value;
    char* float_end = nullptr;
    const double d = std::strtod(text.c_str(), &float_end);
    if (!text.empty() && float_end == text.c_str() + text.size() && std::isfinite(d) &&
        std::fabs(d) < 9.2e18) {
        return static_cast<int64_t>(d);
    }
    return fallback;
}

Value to_float(const Value& operand, const CallArguments& args) {
    const ArgumentReader reader(args, "float", {"default"});
    if (operand.is_number() || operand.is_bool()) return operand.as_double();
    if (operand.is_string()) {
        const std::string text = python_strip(operand.as_string(), std::nullopt, StripSide::Both);
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size()) return d;
    }
    return reader.get(0, 0.0);
}

size_t length_of(const Value& operand) {
    if (operand.is_string()) return code_point_count(operand.as_string());
    if (operand.is_list()) return operand.as_list().size();
    if (operand.is_dict()) return operand.as_dict().size();
    if (operand.is_undefined()) return 0;
    fail(TemplateErrorKind::Type,
         "object of type '" + std::string(operand.type_name()) + "' has no len()");
}

int64_t word_count(const std::string& text) {
    int64_t words = 0;
    bool in_word = false;
    for (const char c : text) {
        const bool word_char = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                               static_cast<unsigned char>(c) >= 0x80;
        if (word_char && !in_word) ++words;
        in_word = word_char;
    }
    return words;
}

Value extreme(const Value& operand, bool largest) {
    const ValueList items = sequence_of(operand);
    if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
    Value best = items.front();
    for (const Value& item : items) {
        if (apply_binary(largest ? ">" : "<", item, best, SIZE_MAX).truthy()) best = item;
    }
    return best;
}

Value sorted_items(const Value& operand, const CallArguments& args) {
    const ArgumentReader reader(args, "sort", {"reverse", "case_sensitive", "attribute"});
    const bool reverse = reader.get(0, false).truthy();
    const Value* attribute = reader.find(2);
    ValueList items = sequence_of(operand);
    auto key = [&](const Value& item) {
        return attribute != nullptr ? attribute_path(item, python_str(*attribute)) : item;
    };
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
        return apply_binary(reverse ? ">" : "<", key(a), key(b), SIZE_MAX).truthy();
    });
    return items;
}

Value text_filter(std::string_view name, const Value& operand, const CallArguments& args,
                  size_t max_bytes, bool& known) {
    known = true;
    const std::string text = python_str(operand);
    if (name == "trim") {
        const ArgumentReader reader(args, name, {"chars"});
        const Value* chars = reader.find(0);
        return python_strip(text,
                            chars != nullptr && chars->is_string()
                                ? std::optional<std::string_view>(chars->as_string())
                                : std::nullopt,
                            StripSide::Both);
    }
    if (name == "upper") return ascii_upper(text);
    if (name == "lower") return ascii_lower(text);
    if (name == "capitalize") return python_capitalize(text);
    if (name == "title") return jinja_title(text);
    if (name == "string") return text;
    if (name == "wordcount") return word_count(text);
    if (name == "replace") return *call_method(Value(text), "replace", args, max_bytes);
    known = false;
    return {};
}

Value sequence_filter(std::string_view name, const Value& operand, const CallArguments& args,
                      bool& known) {
    known = true;
    if (name == "first" || name == "last") {
        const ValueList items = sequence_of(operand);
        if (items.empty()) return Value::undefined("No first item, sequence was empty.");
        return name == "first" ? items.front() : items.back();
    }
    if (name == "list") return sequence_of(operand);
    if (name == "reverse") {
        if (operand.is_string()) return slice(operand, Value(), Value(), int64_t{-1});
        ValueList items = sequence_of(operand);
        std::reverse(items.begin(), items.end());
        return Value::generator(std::move(items));
    }
    if (name == "items" || name == "dictsort") {
        if (operand.is_undefined()) return ValueList{};
        if (!operand.is_dict())
            fail(TemplateErrorKind::Type, "Can only get item pairs from a mapping.");
        ValueList items = dict_items(operand.as_dict());
        if (name == "dictsort") {
            std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) {
                return ascii_lower(a.as_list()[0].as_string()) <
                       ascii_lower(b.as_list()[0].as_string());
            });
        }
        return items;
    }
    if (name == "unique") return unique_items(operand, args);
    if (name == "sort") return sorted_items(operand, args);
    if (name == "min" || name == "max") return extreme(operand, name == "max");
    if (name == "sum") {
        Value total = int64_t{0};
        for (const Value& item : sequence_of(operand))
            total = apply_binary("+", total, item, SIZE_MAX);
        return total;
    }
    known = false;
    return {};
}

}  // namespace

Value apply_filter(std::string_view name, const Value& operand, const CallArguments& args,
                   size_t max_bytes) {
    if (name == "safe" || name == "e" || name == "escape" || name == "forceescape") {
        // Autoescape is off in HF's environment: printing never escapes, only Markup's `+` does.
        if (name == "safe") return Value::markup(python_str(operand));
        return Value::markup(operand.is_markup() && name != "forceescape"
                                 ? operand.as_string()
                                 : html_escape(python_str(operand)));
    }
    if (name == "default" || name == "d") {
        const ArgumentReader reader(args, name, {"default_value", "boolean"});
        const bool use_default =
            reader.get(1, false).truthy() ? !operand.truthy() : operand.is_undefined();
        return use_default ? reader.get(0, std::string()) : operand;
    }
    if (name == "tojson") {
        const ArgumentReader reader(args, name,
                                    {"ensure_ascii", "indent", "separators", "sort_keys"});
        const Value* indent = reader.find(1);
        std::optional<int> spaces;
        if (indent != nullptr && !indent->is_none())
            spaces = static_cast<int>(std::clamp<int64_t>(reader.integer(1, 0), 0, 64));
        if (reader.get(0, false).truthy() || reader.find(2) != nullptr ||
            reader.get(3, false).truthy()) {
            fail(TemplateErrorKind::Type, "tojson supports only the indent argument");
        }
        std::string text = to_json_text(operand, spaces);
        if (text.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
        return text;
    }
    if (name == "length" || name == "count") return static_cast<int64_t>(length_of(operand));
    if (name == "join") return join_items(operand, args, max_bytes);
    if (name == "selectattr" || name == "rejectattr")
        return select_items(operand, args, true, name == "selectattr");
    if (name == "select" || name == "reject")
        return select_items(operand, args, false, name == "select");
    if (name == "map") return map_items(operand, args, max_bytes);
    if (name == "indent") return indent_text(operand, args, max_bytes);
    if (name == "int") return to_int(operand, args);
    if (name == "float") return to_float(operand, args);
    if (name == "abs") {
        require_defined(operand);
        if (operand.is_float()) return std::fabs(operand.as_float());
        return operand.is_int() && operand.as_int() < 0 ? negate(operand) : operand;
    }
    bool known = false;
    Value result = text_filter(name, operand, args, max_bytes, known);
    if (known) return result;
    result = sequence_filter(name, operand, args, known);
    if (known) return result;
    fail(TemplateErrorKind::Type, "No filter named '" + std::string(name) + "'.");
}

}  // namespace assistd::chat
