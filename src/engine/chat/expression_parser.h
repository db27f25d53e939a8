// Parses one jinja2 expression from a TokenStream, with jinja2's precedence (loosest first):
// `x if c else y`, or, and, not, comparisons and `in`, + -, ~, * / // %, **, unary - +, then
// postfix .attr [index] [a:b:c] (call), filters `| f(args)` and tests `is [not] t`.
#pragma once

#include <initializer_list>
#include <string_view>

#include "engine/chat/ast.h"
#include "engine/chat/token_stream.h"

namespace assistd::chat {

class ExpressionParser {
  public:
    // `max_nesting` bounds the recursion, so a hostile template cannot exhaust the stack.
    ExpressionParser(TokenStream& tokens, int max_nesting)
        : tokens_(tokens), max_nesting_(max_nesting) {}

    ExprPtr expression();             // a full expression, ternary included
    ExprPtr expression_no_ternary();  // for `for` iterables, where `if` starts a filter
    // `| name(args)` applied to `operand` (nullptr for {% filter %} blocks).
    ExprPtr filter(ExprPtr operand);

  private:
    class Nested;
    ExprPtr or_expr();
    ExprPtr and_expr();
    ExprPtr not_expr();
    ExprPtr comparison();
    ExprPtr additive();
    ExprPtr concat();
    ExprPtr multiplicative();
    ExprPtr power();
    ExprPtr unary_with_filters();
    ExprPtr binary_chain(std::initializer_list<std::string_view> ops,
                         ExprPtr (ExpressionParser::*operand)());
    ExprPtr keyword_chain(std::string_view keyword, ExprPtr (ExpressionParser::*operand)());
    ExprPtr unary(bool with_filters);
    ExprPtr primary();
    ExprPtr postfix(ExprPtr node);
    ExprPtr filters_and_tests(ExprPtr node);
    ExprPtr test(ExprPtr operand);
    ExprPtr subscript(ExprPtr operand);
    ExprPtr sequence_literal(std::string_view close, ExprKind kind);
    ExprPtr dict_literal();
    void arguments(Expr& call);
    ExprPtr make(ExprKind kind, int line, std::string name = {});
    ExprPtr binary(std::string op, ExprPtr left, ExprPtr right, int line);

    TokenStream& tokens_;
    int max_nesting_;
    int depth_ = 0;
};

}  // namespace assistd::chat
