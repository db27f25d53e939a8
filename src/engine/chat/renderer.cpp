#include "engine/chat/renderer.h"

#include "engine/chat/filters.h"
#include "engine/chat/operators.h"
#include "engine/chat/predicates.h"
#include "engine/chat/template_error.h"
#include "engine/chat/value_text.h"

namespace assistd::chat {

namespace {

// The loop variable of one iteration, as jinja2's LoopContext shows it.
Value loop_variable(const ValueList& items, size_t i) {
    const auto n = static_cast<int64_t>(items.size());
    const auto index0 = static_cast<int64_t>(i);
    ValueDict loop{{"index", index0 + 1},
                   {"index0", index0},
                   {"revindex", n - index0},
                   {"revindex0", n - index0 - 1},
                   {"first", i == 0},
                   {"last", index0 == n - 1},
                   {"length", n},
                   {"depth", 1},
                   {"depth0", 0}};
    if (i > 0) loop.emplace_back("previtem", items[i - 1]);
    if (index0 + 1 < n) loop.emplace_back("nextitem", items[i + 1]);
    return loop;
}

// What a for loop walks over: a list, a dict's keys, a string's characters; undefined is empty.
ValueList iteration_items(const Value& iterable) {
    if (iterable.is_list()) return iterable.as_list();
    if (iterable.is_undefined() || iterable.is_none()) {
        if (iterable.is_none()) fail(TemplateErrorKind::Type, "'NoneType' object is not iterable");
        return {};
    }
    CallArguments no_args;
    return apply_filter("list", iterable, no_args, SIZE_MAX).as_list();
}

}  // namespace

Renderer::Renderer(ValueDict variables, const RenderLimits& limits) : limits_(limits) {
    scopes_.push_back(std::move(variables));
}

std::string Renderer::render(const Body& body) {
    std::string out;
    execute(body, out);
    return out;
}

void Renderer::write(std::string& out, std::string_view text) {
    written_ += text.size();
    if (written_ > limits_.max_output_bytes)
        fail(TemplateErrorKind::Limit, "template output exceeds the output limit");
    out += text;
}

void Renderer::count_iteration() {
    if (++iterations_ > limits_.max_loop_iterations)
        fail(TemplateErrorKind::Limit, "template loops exceed the iteration limit");
}

Value Renderer::lookup(const std::string& name) const {
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
        for (const auto& [key, value] : *scope) {
            if (key == name) return value;
        }
    }
    return Value::undefined("'" + name + "' is undefined");
}

void Renderer::assign(const std::string& name, Value value) {
    for (auto& [key, existing] : scopes_.back()) {
        if (key == name) {
            existing = std::move(value);
            return;
        }
    }
    scopes_.back().emplace_back(name, std::move(value));
}

Renderer::Flow Renderer::execute(const Body& body, std::string& out) {
    for (const Statement& statement : body) {
        Flow flow = Flow::Normal;
        std::visit(
            [&](const auto& node) {
                using Node = std::decay_t<decltype(node)>;
                if constexpr (std::is_same_v<Node, TextStatement>) {
                    write(out, node.text);
                } else if constexpr (std::is_same_v<Node, OutputStatement>) {
                    write(out, python_str(evaluate(*node.value)));
                } else if constexpr (std::is_same_v<Node, IfStatement>) {
                    const Body* chosen = &node.otherwise;
                    for (const auto& [condition, branch] : node.branches) {
                        if (evaluate(*condition).truthy()) {
                            chosen = &branch;
                            break;
                        }
                    }
                    flow = execute(*chosen, out);
                } else if constexpr (std::is_same_v<Node, ForStatement>) {
                    flow = execute_for(node, out);
                } else if constexpr (std::is_same_v<Node, SetStatement>) {
                    execute_set(node);
                } else if constexpr (std::is_same_v<Node, CaptureStatement>) {
                    execute_capture(node, out);
                } else if constexpr (std::is_same_v<Node, MacroStatement>) {
                    define_macro(node);
                } else if constexpr (std::is_same_v<Node, BreakStatement>) {
                    flow = Flow::Break;
                } else {
                    flow = Flow::Continue;
                }
            },
            statement.node);
        if (flow != Flow::Normal) return flow;
    }
    return Flow::Normal;
}

Renderer::Flow Renderer::execute_for(const ForStatement& node, std::string& out) {
    const ValueList all = iteration_items(evaluate(*node.iterable));
    auto bind_targets = [&](const Value& item) {
        if (node.targets.size() == 1) {
            assign(node.targets[0], item);
            return;
        }
        if (!item.is_list() || item.as_list().size() != node.targets.size()) {
            fail(TemplateErrorKind::Type, "cannot unpack " + std::string(item.type_name()) +
                                              " into " + std::to_string(node.targets.size()) +
                                              " names");
        }
        for (size_t t = 0; t < node.targets.size(); ++t) assign(node.targets[t], item.as_list()[t]);
    };
    ValueList items;
    if (node.condition) {
        // The filter runs first, so loop.index and loop.length count only the items that pass.
        for (const Value& item : all) {
            count_iteration();
            scopes_.emplace_back();
            bind_targets(item);
            const bool passes = evaluate(*node.condition).truthy();
            scopes_.pop_back();
            if (passes) items.push_back(item);
        }
    } else {
        items = all;
    }
    for (size_t i = 0; i < items.size(); ++i) {
        count_iteration();
        scopes_.emplace_back();
        assign("loop", loop_variable(items, i));
        bind_targets(items[i]);
        const Flow flow = execute(node.body, out);
        scopes_.pop_back();
        if (flow == Flow::Break) break;
    }
    if (items.empty()) return execute(node.otherwise, out);
    return Flow::Normal;
}

void Renderer::execute_set(const SetStatement& node) {
    Value value = evaluate(*node.value);
    if (!node.attribute.empty()) {
        const Value target = lookup(node.targets[0]);
        if (!target.is_namespace())
            fail(TemplateErrorKind::Type, "cannot assign attribute on non-namespace object");
        ValueDict& attributes = target.as_namespace().attributes;
        for (auto& [key, existing] : attributes) {
            if (key == node.attribute) {
                existing = std::move(value);
                return;
            }
        }
        attributes.emplace_back(node.attribute, std::move(value));
        return;
    }
    if (node.targets.size() == 1) {
        assign(node.targets[0], std::move(value));
        return;
    }
    if (!value.is_list() || value.as_list().size() != node.targets.size()) {
        fail(TemplateErrorKind::Type,
             "cannot unpack into " + std::to_string(node.targets.size()) + " names");
    }
    for (size_t t = 0; t < node.targets.size(); ++t) assign(node.targets[t], value.as_list()[t]);
}

void Renderer::execute_capture(const CaptureStatement& node, std::string& out) {
    std::string captured;
    execute(node.body, captured);
    Value value = std::move(captured);
    for (const ExprPtr& filter : node.filters) value = evaluate_filter(*filter, std::move(value));
    if (node.name.empty()) {
        write(out, python_str(value));
    } else {
        assign(node.name, std::move(value));
    }
}

void Renderer::define_macro(const MacroStatement& node) {
    auto callable = std::make_shared<Callable>();
    callable->name = node.name;
    callable->call = [this, &node](CallArguments& args) { return call_macro(node, args); };
    assign(node.name, Value(std::shared_ptr<const Callable>(std::move(callable))));
}

Value Renderer::call_macro(const MacroStatement& node, CallArguments& args) {
    if (++call_depth_ > limits_.max_call_depth)
        fail(TemplateErrorKind::Limit, "macro calls nested too deeply");
    if (args.positional.size() > node.parameters.size()) {
        fail(TemplateErrorKind::Type, "macro '" + node.name + "' takes not more than " +
                                          std::to_string(node.parameters.size()) + " argument(s)");
    }
    Scope local;
    for (size_t i = 0; i < node.parameters.size(); ++i) {
        const std::string& parameter = node.parameters[i];
        const Value* given = i < args.positional.size() ? &args.positional[i] : nullptr;
        for (const auto& [key, value] : args.keyword) {
            if (key == parameter) given = &value;
        }
        if (given != nullptr) {
            local.emplace_back(parameter, *given);
        } else if (node.defaults[i]) {
            local.emplace_back(parameter, evaluate(*node.defaults[i]));
        } else {
            local.emplace_back(parameter, Value::undefined("'" + parameter + "' is undefined"));
        }
    }
    // The macro sees the outer scope, not the scopes of whoever calls it.
    std::vector<Scope> caller_scopes(std::make_move_iterator(scopes_.begin() + 1),
                                     std::make_move_iterator(scopes_.end()));
    scopes_.resize(1);
    scopes_.push_back(std::move(local));
    std::string out;
    execute(*node.body, out);
    scopes_.pop_back();
    for (Scope& scope : caller_scopes) scopes_.push_back(std::move(scope));
    --call_depth_;
    return out;
}

}  // namespace assistd::chat
