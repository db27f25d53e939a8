#include "engine/chat/value_text.h"

#include <charconv>
#include <cmath>

#include "engine/chat/template_error.h"
#include "engine/chat/text_functions.h"

namespace assistd::chat {

namespace {

template <typename Item>
std::string join_items(char open, char close, const std::vector<Item>& items,
                       std::string (*write)(const Item&)) {
    std::string text(1, open);
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) text += ", ";
        text += write(items[i]);
    }
    return text + close;
}

std::string repr_element(const Value& value) {
    return python_repr(value);
}

std::string repr_entry(const std::pair<std::string, Value>& entry) {
    return python_repr(Value(entry.first)) + ": " + python_repr(entry.second);
}

// Python picks the quote that needs no escaping: single unless the text has ' and no ".
std::string quote_python(const std::string& text) {
    const bool use_double =
        text.find('\'') != std::string::npos && text.find('"') == std::string::npos;
    const std::string escaped =
        use_double
            ? replace_chars(text, {{'\\', "\\\\"}, {'\n', "\\n"}, {'\r', "\\r"}, {'\t', "\\t"}})
            : replace_chars(
                  text,
                  {{'\\', "\\\\"}, {'\n', "\\n"}, {'\r', "\\r"}, {'\t', "\\t"}, {'\'', "\\'"}});
    const char quote = use_double ? '"' : '\'';
    return quote + escaped + quote;
}

// json.dumps escapes quotes, backslashes and control characters; all else passes through.
void append_json_string(std::string& out, const std::string& text) {
    static const char* kHex = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const std::string_view short_form = c == '"'    ? "\\\""
                                            : c == '\\' ? "\\\\"
                                            : c == '\n' ? "\\n"
                                            : c == '\r' ? "\\r"
                                            : c == '\t' ? "\\t"
                                            : c == '\b' ? "\\b"
                                            : c == '\f' ? "\\f"
                                                        : "";
        if (!short_form.empty()) {
            out += short_form;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += "\\u00";
            out += kHex[(c >> 4) & 0xf];
            out += kHex[c & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

void append_json(std::string& out, const Value& value, std::optional<int> indent, int depth);

void newline_for(std::string& out, std::optional<int> indent, int depth) {
    out += '\n';
    out.append(static_cast<size_t>(*indent) * static_cast<size_t>(depth), ' ');
}

template <typename Item, typename WriteItem>
void append_json_container(std::string& out, char open, char close, const std::vector<Item>& items,
                           std::optional<int> indent, int depth, WriteItem write_item) {
    out += open;
    if (items.empty()) {
        out += close;
        return;
    }
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += indent ? "," : ", ";
        if (indent) newline_for(out, indent, depth + 1);
        write_item(items[i]);
    }
    if (indent) newline_for(out, indent, depth);
    out += close;
}

void append_json(std::string& out, const Value& value, std::optional<int> indent, int depth) {
    if (value.is_none()) {
        out += "null";
    } else if (value.is_bool()) {
        out += value.as_bool() ? "true" : "false";
    } else if (value.is_int()) {
        out += std::to_string(value.as_int());
    } else if (value.is_float()) {
        const double d = value.as_float();
        if (std::isnan(d))
            out += "NaN";
        else if (std::isinf(d))
            out += d > 0 ? "Infinity" : "-Infinity";
        else
            out += python_float(d);
    } else if (value.is_string()) {
        append_json_string(out, value.as_string());
    } else if (value.is_list()) {
        append_json_container(
            out, '[', ']', value.as_list(), indent, depth,
            [&](const Value& element) { append_json(out, element, indent, depth + 1); });
    } else if (value.is_dict()) {
        append_json_container(out, '{', '}', value.as_dict(), indent, depth,
                              [&](const std::pair<std::string, Value>& entry) {
                                  append_json_string(out, entry.first);
                                  out += ": ";
                                  append_json(out, entry.second, indent, depth + 1);
                              });
    } else {
        fail(TemplateErrorKind::Type,
             "Object of type " + std::string(value.type_name()) + " is not JSON serializable");
    }
}

}  // namespace

std::string python_float(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string text(buffer, end);
    const size_t exponent = text.find('e');
    if (exponent != std::string::npos) {
        // Python writes at least two exponent digits: 1e-05, 1e+20.
        std::string mantissa = text.substr(0, exponent);
        std::string power = text.substr(exponent + 1);
        const char sign = power[0] == '-' ? '-' : '+';
        if (power[0] == '-' || power[0] == '+') power.erase(0, 1);
        if (power.size() < 2) power.insert(0, "0");
        return mantissa + "e" + sign + power;
    }
    if (text.find('.') == std::string::npos) text += ".0";
    return text;
}

std::string python_str(const Value& value) {
    if (value.is_undefined()) return "";
    if (value.is_string()) return value.as_string();
    return python_repr(value);
}

std::string python_repr(const Value& value) {
    if (value.is_undefined()) return "";
    if (value.is_none()) return "None";
    if (value.is_bool()) return value.as_bool() ? "True" : "False";
    if (value.is_int()) return std::to_string(value.as_int());
    if (value.is_float()) return python_float(value.as_float());
    if (value.is_string()) return quote_python(value.as_string());
    if (value.is_list()) return join_items('[', ']', value.as_list(), &repr_element);
    if (value.is_dict()) return join_items('{', '}', value.as_dict(), &repr_entry);
    if (value.is_namespace())
        return "<Namespace " + join_items('{', '}', value.as_namespace().attributes, &repr_entry) +
               ">";
    if (value.is_generator()) return "<generator object>";
    return "<function " + value.as_callable().name + ">";
}

std::string to_json_text(const Value& value, std::optional<int> indent) {
    std::string out;
    append_json(out, value, indent, 0);
    return out;
}

}  // namespace assistd::chat
