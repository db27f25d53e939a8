#include "engine/chat/methods.h"

#include "engine/chat/arguments.h"
#include "engine/chat/text_functions.h"

namespace assistd::chat {

namespace {

// startswith/endswith accept one prefix or a tuple (a list here) of them.
bool affix_matches(const std::string& text, const Value& affixes, bool at_start) {
    auto matches = [&](const Value& affix) {
        if (!affix.is_string())
            fail(TemplateErrorKind::Type,
                 "startswith/endswith first arg must be str or a tuple of str");
        const std::string& a = affix.as_string();
        if (a.size() > text.size()) return false;
        return at_start ? text.compare(0, a.size(), a) == 0
                        : text.compare(text.size() - a.size(), a.size(), a) == 0;
    };
    if (!affixes.is_list()) return matches(affixes);
    for (const Value& affix : affixes.as_list()) {
        if (matches(affix)) return true;
    }
    return false;
}

std::optional<std::string_view> optional_chars(const ArgumentReader& reader, size_t position) {
    const Value* chars = reader.find(position);
    if (chars == nullptr || chars->is_none()) return std::nullopt;
    if (!chars->is_string()) fail(TemplateErrorKind::Type, "strip arg must be None or str");
    return chars->as_string();
}

std::optional<Value> string_method(const std::string& text, std::string_view name,
                                   const CallArguments& args, size_t max_bytes) {
    if (name == "startswith" || name == "endswith") {
        const ArgumentReader reader(args, name, {"prefix"});
        return Value(affix_matches(text, reader.required(0), name == "startswith"));
    }
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const ArgumentReader reader(args, name, {"chars"});
        const StripSide side = name == "strip"    ? StripSide::Both
                               : name == "lstrip" ? StripSide::Left
                                                  : StripSide::Right;
        return Value(python_strip(text, optional_chars(reader, 0), side));
    }
    if (name == "split") {
        const ArgumentReader reader(args, name, {"sep", "maxsplit"});
        const Value* sep = reader.find(0);
        std::optional<std::string_view> separator;
        if (sep != nullptr && !sep->is_none()) {
            if (!sep->is_string()) fail(TemplateErrorKind::Type, "must be str or None");
            separator = sep->as_string();
        }
        ValueList pieces;
        for (std::string& piece : python_split(text, separator, reader.integer(1, -1)))
            pieces.emplace_back(std::move(piece));
        return Value(std::move(pieces));
    }
    if (name == "upper") return Value(ascii_upper(text));
    if (name == "lower") return Value(ascii_lower(text));
    if (name == "title") return Value(python_title(text));
    if (name == "capitalize") return Value(python_capitalize(text));
    if (name == "replace") {
        const ArgumentReader reader(args, name, {"old", "new", "count"});
        std::string out =
            python_replace(text, reader.string(0, ""), reader.string(1, ""), reader.integer(2, -1));
        if (out.size() > max_bytes)
            fail(TemplateErrorKind::Limit, "string exceeds the output limit");
        return Value(std::move(out));
    }
    if (name == "find" || name == "count") {
        const ArgumentReader reader(args, name, {"sub"});
        const std::string sub = reader.string(0, "");
        if (name == "find") {
            const size_t at = text.find(sub);
            return Value(at == std::string::npos ? int64_t{-1}
                                                 : static_cast<int64_t>(code_point_count(
                                                       std::string_view(text).substr(0, at))));
        }
        if (sub.empty()) return Value(static_cast<int64_t>(code_point_count(text) + 1));
        int64_t count = 0;
        for (size_t at = text.find(sub); at != std::string::npos;
             at = text.find(sub, at + sub.size()))
            ++count;
        return Value(count);
    }
    return std::nullopt;
}

std::optional<Value> dict_method(const Value& dict, std::string_view name,
                                 const CallArguments& args) {
    if (name == "items" || name == "keys" || name == "values") {
        const ArgumentReader reader(args, name, {});
        if (name == "items") return Value(dict_items(dict.as_dict()));
        ValueList out;
        for (const auto& [key, value] : dict.as_dict())
            out.push_back(name == "keys" ? Value(key) : value);
        return Value(std::move(out));
    }
    if (name == "get") {
        const ArgumentReader reader(args, name, {"key", "default"});
        const Value& key = reader.required(0);
        const Value* found = key.is_string() ? dict.find(key.as_string()) : nullptr;
        return found != nullptr ? *found : reader.get(1, nullptr);
    }
    return std::nullopt;
}

}  // namespace

ValueList dict_items(const ValueDict& dict) {
    ValueList items;
    for (const auto& [key, value] : dict) items.emplace_back(ValueList{Value(key), value});
    return items;
}

std::optional<Value> call_method(const Value& object, std::string_view name,
                                 const CallArguments& args, size_t max_bytes) {
    if (object.is_string()) return string_method(object.as_string(), name, args, max_bytes);
    if (object.is_dict()) return dict_method(object, name, args);
    return std::nullopt;
}

}  // namespace assistd::chat
