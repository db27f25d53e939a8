// The parsed template: statements (text, {{ output }}, if, for, set, macro, filter blocks,
// break/continue) holding expression trees.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/chat/value.h"

namespace assistd::chat {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
    Literal,    // literal
    Name,       // name
    List,       // children
    Dict,       // children: key, value, key, value, ...
    Not,        // children[0]
    Negate,     // children[0]
    Binary,     // name is the operator (+ - * / // % ** ~ == != < > <= >= in), children[0..1]
    And,        // children[0..1], short-circuit
    Or,         // children[0..1], short-circuit
    Ternary,    // children: value, condition, otherwise (nullptr when there is no else)
    Attribute,  // children[0].name
    Subscript,  // children[0][children[1]]
    Slice,      // children[0][children[1]:children[2]:children[3]], absent parts nullptr
    Call,       // children[0](children[1..], keywords)
    Filter,     // children[0] | name(children[1..], keywords)
    Test,       // children[0] is [not] name(children[1..])
};

struct Expr {
    ExprKind kind;
    int line = 0;
    Value literal;
    std::string name;
    bool negated = false;  // `not in`, `is not`
    std::vector<ExprPtr> children;
    std::vector<std::pair<std::string, ExprPtr>> keywords;
};

struct Statement;
using Body = std::vector<Statement>;

struct TextStatement {
    std::string text;
};

struct OutputStatement {
    ExprPtr value;
};

struct IfStatement {
    std::vector<std::pair<ExprPtr, Body>> branches;  // if, then each elif
    Body otherwise;
};

struct ForStatement {
    std::vector<std::string> targets;  // one name, or several unpacked from each item
    ExprPtr iterable;
    ExprPtr condition;  // `for x in xs if cond`, or nullptr
    Body body;
    Body otherwise;  // runs when no item passed
};

struct SetStatement {
    std::vector<std::string> targets;  // names, or {namespace name} with attribute set
    std::string attribute;             // `set ns.attribute = ...`
    ExprPtr value;
};

// {% set name %}...{% endset %} and {% filter f %}...{% endfilter %}: the body rendered to text,
// passed through `filters` (each an Expr of kind Filter whose children[0] is empty), then stored
// in `name` or written out when name is empty.
struct CaptureStatement {
    std::string name;
    std::vector<ExprPtr> filters;
    Body body;
};

struct MacroStatement {
    std::string name;
    std::vector<std::string> parameters;
    std::vector<ExprPtr> defaults;  // one per parameter, nullptr for none
    std::shared_ptr<const Body> body;
};

struct BreakStatement {};
struct ContinueStatement {};

struct Statement {
    int line;
    std::variant<TextStatement, OutputStatement, IfStatement, ForStatement, SetStatement,
                 CaptureStatement, MacroStatement, BreakStatement, ContinueStatement>
        node;
};

}  // namespace assistd::chat
