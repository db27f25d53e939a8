#include "engine/chat/builtin_globals.h"

#include <array>

#include "engine/chat/arguments.h"
#include "engine/chat/template_error.h"
#include "engine/chat/value_text.h"

namespace assistd::chat {

namespace {

Value function(std::string name, std::function<Value(CallArguments&)> call) {
    return Value(std::shared_ptr<const Callable>(
        std::make_shared<Callable>(Callable{std::move(name), std::move(call)})));
}

Value make_namespace(const CallArguments& args) {
    auto ns = std::make_shared<Namespace>();
    for (const Value& initial : args.positional) {
        if (!initial.is_dict())
            fail(TemplateErrorKind::Type, "namespace() takes a dict or keyword arguments");
        ns->attributes = initial.as_dict();
    }
    for (const auto& [key, value] : args.keyword) ns->attributes.emplace_back(key, value);
    return Value(std::move(ns));
}

Value make_range(const CallArguments& args, int64_t max_items) {
    if (args.positional.empty() || args.positional.size() > 3 || !args.keyword.empty()) {
        fail(TemplateErrorKind::Type, "range expected 1 to 3 integer arguments");
    }
    std::array<int64_t, 3> bounds{0, 0, 1};
    for (size_t i = 0; i < args.positional.size(); ++i) {
        const ArgumentReader reader(args, "range", {"a", "b", "c"});
        bounds[args.positional.size() == 1 ? 1 : i] = reader.integer(i, 0);
    }
    const auto [start, stop, step] = bounds;
    if (step == 0) fail(TemplateErrorKind::Type, "range() arg 3 must not be zero");
    ValueList items;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (static_cast<int64_t>(items.size()) >= max_items)
            fail(TemplateErrorKind::Limit, "range() exceeds the iteration limit");
        items.emplace_back(i);
    }
    return items;
}

Value format_time(const std::tm& now, const CallArguments& args) {
    const ArgumentReader reader(args, "strftime_now", {"format"});
    const std::string format = reader.string(0, "");
    if (format.empty()) return std::string();
    std::string out(256 + format.size() * 8, '\0');
    const size_t written = std::strftime(out.data(), out.size(), format.c_str(), &now);
    out.resize(written);
    return out;
}

}  // namespace

ValueDict builtin_globals(const std::tm& now, const RenderLimits& limits) {
    return {
        {"raise_exception", function("raise_exception",
                                     [](CallArguments& args) -> Value {
                                         const ArgumentReader reader(args, "raise_exception",
                                                                     {"message"});
                                         fail(TemplateErrorKind::Raised, reader.string(0, ""));
                                     })},
        {"strftime_now",
         function("strftime_now", [now](CallArguments& args) { return format_time(now, args); })},
        {"namespace",
         function("namespace", [](CallArguments& args) { return make_namespace(args); })},
        {"range", function("range", [max = limits.max_loop_iterations](
                                        CallArguments& args) { return make_range(args, max); })},
        {"dict", function("dict",
                          [](CallArguments& args) {
                              ValueDict dict;
                              for (const auto& [key, value] : args.keyword)
                                  dict.emplace_back(key, value);
                              return Value(std::move(dict));
                          })},
    };
}

}  // namespace assistd::chat
