#include "engine/chat/operators.h"

#include <cmath>

#include "engine/chat/template_error.h"
#include "engine/chat/text_functions.h"
#include "engine/chat/value_text.h"

namespace assistd::chat {

namespace {

bool is_integral(const Value& v) {
    return v.is_int() || v.is_bool();
}
int64_t integral(const Value& v) {
    return v.is_bool() ? int64_t{v.as_bool()} : v.as_int();
}
bool is_numeric(const Value& v) {
    return v.is_number() || v.is_bool();
}

[[noreturn]] void unsupported(std::string_view op, const Value& left, const Value& right) {
    fail(TemplateErrorKind::Type, "unsupported operand type(s) for " + std::string(op) + ": '" +
                                      std::string(left.type_name()) + "' and '" +
                                      std::string(right.type_name()) + "'");
}

void check_overflow(bool overflowed) {
    if (overflowed) fail(TemplateErrorKind::Limit, "integer overflow");
}

double float_modulo(double a, double b) {
    const double r = std::fmod(a, b);
    return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
}

Value arithmetic(std::string_view op, const Value& left, const Value& right) {
    if (!is_numeric(left) || !is_numeric(right)) unsupported(op, left, right);
    const bool integers = is_integral(left) && is_integral(right);
    if (op == "/") {
        if (right.as_double() == 0) fail(TemplateErrorKind::Type, "division by zero");
        return left.as_double() / right.as_double();
    }
    if (integers) {
        const int64_t a = integral(left);
        const int64_t b = integral(right);
        int64_t r = 0;
        if (op == "+" || op == "-" || op == "*") {
            check_overflow(op == "+"   ? __builtin_add_overflow(a, b, &r)
                           : op == "-" ? __builtin_sub_overflow(a, b, &r)
                                       : __builtin_mul_overflow(a, b, &r));
            return r;
        }
        if (b == 0 && (op == "//" || op == "%"))
            fail(TemplateErrorKind::Type, "integer division or modulo by zero");
        if (op == "//" || op == "%") {
            if (a == INT64_MIN && b == -1) fail(TemplateErrorKind::Limit, "integer overflow");
            int64_t q = a / b;
            int64_t m = a % b;
            if (m != 0 && ((m < 0) != (b < 0))) {
                --q;
                m += b;
            }
            return op == "//" ? q : m;
        }
        if (op == "**" && b >= 0) {
            int64_t result = 1;
            for (int64_t i = 0; i < b; ++i) {
                check_overflow(__builtin_mul_overflow(result, a, &result));
                if (result == 0 || result == 1) break;
            }
            return result;
        }
    }
    const double a = left.as_double();
    const double b = right.as_double();
    if (op == "+") return a + b;
    if (op == "-") return a - b;
    if (op == "*") return a * b;
    if (op == "**") return std::pow(a, b);
    if (b == 0) fail(TemplateErrorKind::Type, "float division by zero");
    if (op == "//") return std::floor(a / b);
    return float_modulo(a, b);
}

Value repeat(const Value& sequence, int64_t times, size_t max_bytes) {
    if (times <= 0) return sequence.is_string() ? Value(std::string()) : Value(ValueList{});
    const size_t unit =
        sequence.is_string() ? sequence.as_string().size() : sequence.as_list().size();
    if (unit != 0 && static_cast<uint64_t>(times) > max_bytes / unit) {
        fail(TemplateErrorKind::Limit, "repetition result exceeds the output limit");
    }
    if (sequence.is_string()) {
        std::string out;
        for (int64_t i = 0; i < times; ++i) out += sequence.as_string();
        return out;
    }
    ValueList out;
    for (int64_t i = 0; i < times; ++i)
        out.insert(out.end(), sequence.as_list().begin(), sequence.as_list().end());
    return out;
}

Value add(const Value& left, const Value& right, size_t max_bytes) {
    if (left.is_string() && right.is_string()) {
        const bool markup = left.is_markup() || right.is_markup();
        std::string text =
            (markup && !left.is_markup() ? html_escape(left.as_string()) : left.as_string()) +
            (markup && !right.is_markup() ? html_escape(right.as_string()) : right.as_string());
        if (text.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
        return markup ? Value::markup(std::move(text)) : Value(std::move(text));
    }
    if (left.is_list() && right.is_list()) {
        if (left.as_list().size() + right.as_list().size() > max_bytes) {
            fail(TemplateErrorKind::Limit, "list exceeds the output limit");
        }
        ValueList out = left.as_list();
        out.insert(out.end(), right.as_list().begin(), right.as_list().end());
        return out;
    }
    return arithmetic("+", left, right);
}

int compare_order(std::string_view op, const Value& left, const Value& right) {
    if (is_numeric(left) && is_numeric(right)) {
        if (is_integral(left) && is_integral(right)) {
            return integral(left) < integral(right) ? -1 : integral(left) > integral(right) ? 1 : 0;
        }
        const double a = left.as_double();
        const double b = right.as_double();
        return a < b ? -1 : a > b ? 1 : 0;
    }
    if (left.is_string() && right.is_string()) {
        const int c =
            left.as_string().compare(right.as_string());  // UTF-8 order is code point order
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    fail(TemplateErrorKind::Type, "'" + std::string(op) + "' not supported between instances of '" +
                                      std::string(left.type_name()) + "' and '" +
                                      std::string(right.type_name()) + "'");
}

// Python's slice.indices(): clamps start and stop to the sequence for the step's direction.
struct SliceBounds {
    int64_t start;
    int64_t stop;
    int64_t step;
};

SliceBounds slice_bounds(int64_t length, const Value& start, const Value& stop, const Value& step) {
    auto given = [](const Value& v) { return !v.is_undefined() && !v.is_none(); };
    auto index = [](const Value& v) {
        if (!is_integral(v))
            fail(TemplateErrorKind::Type, "slice indices must be integers or None");
        return integral(v);
    };
    SliceBounds b{0, 0, given(step) ? index(step) : 1};
    if (b.step == 0) fail(TemplateErrorKind::Type, "slice step cannot be zero");
    auto clamp = [&](const Value& v, int64_t fallback) {
        if (!given(v)) return fallback;
        int64_t i = index(v);
        if (i < 0)
            i = std::max<int64_t>(i + length, b.step < 0 ? -1 : 0);
        else
            i = std::min<int64_t>(i, b.step < 0 ? length - 1 : length);
        return i;
    };
    b.start = clamp(start, b.step < 0 ? length - 1 : 0);
    b.stop = clamp(stop, b.step < 0 ? -1 : length);
    return b;
}

std::string undefined_attribute_message(const Value& object, std::string_view name) {
    const std::string owner =
        object.is_none() ? "None" : std::string(object.type_name()) + " object";
    return "'" + owner + "' has no attribute '" + std::string(name) + "'";
}

}  // namespace

void require_defined(const Value& value) {
    if (value.is_undefined()) fail(TemplateErrorKind::Undefined, value.undefined_message());
}

Value apply_binary(std::string_view op, const Value& left, const Value& right, size_t max_bytes) {
    if (op == "~") {
        std::string text = python_str(left) + python_str(right);
        if (text.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
        return text;
    }
    if (op == "==") return values_equal(left, right);
    if (op == "!=") return !values_equal(left, right);
    if (op == "in") return contains(right, left);
    require_defined(left);
    require_defined(right);
    if (op == "<") return compare_order(op, left, right) < 0;
    if (op == ">") return compare_order(op, left, right) > 0;
    if (op == "<=") return compare_order(op, left, right) <= 0;
    if (op == ">=") return compare_order(op, left, right) >= 0;
    if (op == "+") return add(left, right, max_bytes);
    if (op == "*") {
        if ((left.is_string() || left.is_list()) && is_integral(right))
            return repeat(left, integral(right), max_bytes);
        if ((right.is_string() || right.is_list()) && is_integral(left))
            return repeat(right, integral(left), max_bytes);
    }
    return arithmetic(op, left, right);
}

Value negate(const Value& operand) {
    require_defined(operand);
    if (is_integral(operand)) {
        if (integral(operand) == INT64_MIN) fail(TemplateErrorKind::Limit, "integer overflow");
        return -integral(operand);
    }
    if (operand.is_float()) return -operand.as_float();
    fail(TemplateErrorKind::Type,
         "bad operand type for unary -: '" + std::string(operand.type_name()) + "'");
}

bool contains(const Value& container, const Value& item) {
    if (container.is_string()) {
        if (!item.is_string()) {
            fail(TemplateErrorKind::Type, "'in <string>' requires string as left operand, not " +
                                              std::string(item.type_name()));
        }
        return container.as_string().find(item.as_string()) != std::string::npos;
    }
    if (container.is_list() || container.is_generator()) {
        for (const Value& element :
             container.is_list() ? container.as_list() : container.generated_items()) {
            if (values_equal(element, item)) return true;
        }
        return false;
    }
    if (container.is_dict()) return item.is_string() && container.find(item.as_string()) != nullptr;
    if (container.is_undefined()) return false;
    fail(TemplateErrorKind::Type,
         "argument of type '" + std::string(container.type_name()) + "' is not iterable");
}

Value get_item(const Value& object, const Value& key) {
    require_defined(object);
    if (key.is_string()) return get_attribute(object, key.as_string());
    if ((object.is_list() || object.is_string()) && is_integral(key)) {
        const bool is_list = object.is_list();
        std::vector<std::string_view> points;
        if (!is_list) points = code_points(object.as_string());
        const auto length = static_cast<int64_t>(is_list ? object.as_list().size() : points.size());
        int64_t i = integral(key);
        if (i < 0) i += length;
        if (i >= 0 && i < length) {
            if (is_list) return object.as_list()[static_cast<size_t>(i)];
            return std::string(points[static_cast<size_t>(i)]);
        }
    }
    return Value::undefined(std::string(object.type_name()) + " object has no element " +
                            python_repr(key));
}

Value get_attribute(const Value& object, std::string_view name) {
    require_defined(object);
    if (const Value* found = object.find(name)) return *found;
    return Value::undefined(undefined_attribute_message(object, name));
}

Value slice(const Value& object, const Value& start, const Value& stop, const Value& step) {
    require_defined(object);
    if (!object.is_list() && !object.is_string()) {
        fail(TemplateErrorKind::Type,
             "'" + std::string(object.type_name()) + "' object is not subscriptable");
    }
    std::vector<std::string_view> points;
    if (object.is_string()) points = code_points(object.as_string());
    const auto length =
        static_cast<int64_t>(object.is_list() ? object.as_list().size() : points.size());
    const SliceBounds b = slice_bounds(length, start, stop, step);
    ValueList items;
    std::string text;
    for (int64_t i = b.start; b.step > 0 ? i < b.stop : i > b.stop; i += b.step) {
        if (object.is_list())
            items.push_back(object.as_list()[static_cast<size_t>(i)]);
        else
            text += points[static_cast<size_t>(i)];
    }
    if (object.is_list()) return items;
    return text;
}

}  // namespace assistd::chat
