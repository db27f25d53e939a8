// Renderer's expression half: evaluates an Expr tree against the current scopes.
#include "engine/chat/filters.h"
#include "engine/chat/methods.h"
#include "engine/chat/operators.h"
#include "engine/chat/predicates.h"
#include "engine/chat/renderer.h"
#include "engine/chat/template_error.h"

namespace assistd::chat {

CallArguments Renderer::evaluate_arguments(const Expr& expr, size_t first_child) {
    CallArguments args;
    for (size_t i = first_child; i < expr.children.size(); ++i)
        args.positional.push_back(evaluate(*expr.children[i]));
    for (const auto& [name, value] : expr.keywords)
        args.keyword.emplace_back(name, evaluate(*value));
    return args;
}

Value Renderer::evaluate_filter(const Expr& expr, Value operand) {
    const CallArguments args = evaluate_arguments(expr, 1);
    return apply_filter(expr.name, operand, args, limits_.max_output_bytes);
}

Value Renderer::evaluate_call(const Expr& expr) {
    const Expr& callee = *expr.children[0];
    CallArguments args = evaluate_arguments(expr, 1);
    if (callee.kind == ExprKind::Attribute) {
        const Value object = evaluate(*callee.children[0]);
        require_defined(object);
        if (std::optional<Value> result =
                call_method(object, callee.name, args, limits_.max_output_bytes)) {
            return std::move(*result);
        }
        const Value attribute = get_attribute(object, callee.name);
        if (attribute.is_callable()) return attribute.as_callable().call(args);
        require_defined(attribute);
        fail(TemplateErrorKind::Type,
             "'" + std::string(attribute.type_name()) + "' object is not callable");
    }
    const Value function = evaluate(callee);
    require_defined(function);
    if (!function.is_callable()) {
        fail(TemplateErrorKind::Type,
             "'" + std::string(function.type_name()) + "' object is not callable");
    }
    return function.as_callable().call(args);
}

Value Renderer::evaluate(const Expr& expr) {
    switch (expr.kind) {
        case ExprKind::Literal:
            return expr.literal;
        case ExprKind::Name:
            return lookup(expr.name);
        case ExprKind::List: {
            ValueList list;
            for (const ExprPtr& child : expr.children) list.push_back(evaluate(*child));
            return list;
        }
        case ExprKind::Dict: {
            ValueDict dict;
            for (size_t i = 0; i + 1 < expr.children.size(); i += 2) {
                const Value key = evaluate(*expr.children[i]);
                if (!key.is_string())
                    fail(TemplateErrorKind::Type, "dict keys must be strings in templates");
                Value value = evaluate(*expr.children[i + 1]);
                bool replaced = false;
                for (auto& [existing_key, existing] : dict) {
                    if (existing_key == key.as_string()) {
                        existing = value;
                        replaced = true;
                    }
                }
                if (!replaced) dict.emplace_back(key.as_string(), std::move(value));
            }
            return dict;
        }
        case ExprKind::Not:
            return !evaluate(*expr.children[0]).truthy();
        case ExprKind::Negate:
            return negate(evaluate(*expr.children[0]));
        case ExprKind::Binary: {
            const Value left = evaluate(*expr.children[0]);
            const Value right = evaluate(*expr.children[1]);
            Value result = apply_binary(expr.name, left, right, limits_.max_output_bytes);
            return expr.negated ? Value(!result.truthy()) : result;
        }
        case ExprKind::And: {
            Value left = evaluate(*expr.children[0]);
            return left.truthy() ? evaluate(*expr.children[1]) : left;
        }
        case ExprKind::Or: {
            Value left = evaluate(*expr.children[0]);
            return left.truthy() ? left : evaluate(*expr.children[1]);
        }
        case ExprKind::Ternary: {
            if (evaluate(*expr.children[1]).truthy()) return evaluate(*expr.children[0]);
            if (expr.children[2]) return evaluate(*expr.children[2]);
            return Value::undefined(
                "the inline if-expression evaluated to false and no else section was defined.");
        }
        case ExprKind::Attribute:
            return get_attribute(evaluate(*expr.children[0]), expr.name);
        case ExprKind::Subscript:
            return get_item(evaluate(*expr.children[0]), evaluate(*expr.children[1]));
        case ExprKind::Slice: {
            auto part = [&](size_t i) {
                return expr.children[i] ? evaluate(*expr.children[i]) : Value();
            };
            return slice(evaluate(*expr.children[0]), part(1), part(2), part(3));
        }
        case ExprKind::Call:
            return evaluate_call(expr);
        case ExprKind::Filter:
            return evaluate_filter(expr, evaluate(*expr.children[0]));
        case ExprKind::Test: {
            const Value operand = evaluate(*expr.children[0]);
            const CallArguments args = evaluate_arguments(expr, 1);
            return apply_predicate(expr.name, operand, args) != expr.negated;
        }
    }
    return Value();
}

}  // namespace assistd::chat
