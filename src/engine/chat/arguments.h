// Reads the arguments of a filter, test, method or global function by position or by keyword,
// like Python binds them; an unknown keyword is a Type error, as in Python.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine/chat/template_error.h"
#include "engine/chat/value.h"
#include "engine/chat/value_text.h"

namespace assistd::chat {

class ArgumentReader {
  public:
    // `names` lists the parameters in positional order.
    ArgumentReader(const CallArguments& args, std::string_view function,
                   std::initializer_list<std::string_view> names)
        : args_(args), function_(function), names_(names.begin(), names.end()) {
        if (args.positional.size() > names.size()) {
            fail(TemplateErrorKind::Type, std::string(function) + "() takes at most " +
                                              std::to_string(names.size()) + " arguments");
        }
        for (const auto& [name, value] : args.keyword) {
            bool known = false;
            for (const std::string_view n : names) known = known || n == name;
            if (!known) {
                fail(
                    TemplateErrorKind::Type,
                    std::string(function) + "() got an unexpected keyword argument '" + name + "'");
            }
        }
    }

    // The argument, or nullptr when not given.
    const Value* find(size_t position) const {
        if (position < args_.positional.size()) return &args_.positional[position];
        const std::string_view name = names_[position];
        for (const auto& [key, value] : args_.keyword) {
            if (key == name) return &value;
        }
        return nullptr;
    }

    Value get(size_t position, Value fallback) const {
        const Value* value = find(position);
        return value != nullptr ? *value : fallback;
    }

    const Value& required(size_t position) const {
        const Value* value = find(position);
        if (value == nullptr) {
            fail(TemplateErrorKind::Type, std::string(function_) +
                                              "() missing required argument '" +
                                              std::string(names_[position]) + "'");
        }
        return *value;
    }

    // str() of the argument, or `fallback` when not given.
    std::string string(size_t position, std::string fallback) const {
        const Value* value = find(position);
        return value != nullptr ? python_str(*value) : fallback;
    }

    int64_t integer(size_t position, int64_t fallback) const {
        const Value* value = find(position);
        if (value == nullptr || value->is_none()) return fallback;
        if (value->is_int()) return value->as_int();
        if (value->is_bool()) return value->as_bool();
        fail(TemplateErrorKind::Type, std::string(function_) + "(): expected an integer, got " +
                                          std::string(value->type_name()));
    }

  private:
    const CallArguments& args_;
    std::string_view function_;
    std::vector<std::string_view> names_;
};

}  // namespace assistd::chat
