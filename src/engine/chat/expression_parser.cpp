#include "engine/chat/expression_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

namespace assistd::chat {

// Counts recursion depth for as long as it lives.
class ExpressionParser::Nested {
  public:
    explicit Nested(ExpressionParser& parser) : parser_(parser) {
        if (++parser_.depth_ > parser_.max_nesting_)
            parser_.tokens_.error("expression nested too deeply");
    }
    ~Nested() { --parser_.depth_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

  private:
    ExpressionParser& parser_;
};

ExprPtr ExpressionParser::make(ExprKind kind, int line, std::string name) {
    auto node = std::make_unique<Expr>();
    node->kind = kind;
    node->line = line;
    node->name = std::move(name);
    return node;
}

ExprPtr ExpressionParser::binary(std::string op, ExprPtr left, ExprPtr right, int line) {
    ExprKind kind = ExprKind::Binary;
    if (op == "and") kind = ExprKind::And;
    if (op == "or") kind = ExprKind::Or;
    ExprPtr node = make(kind, line, std::move(op));
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
}

ExprPtr ExpressionParser::expression() {
    Nested nested(*this);
    ExprPtr value = or_expr();
    while (tokens_.at_name("if")) {
        const int line = tokens_.next().line;
        ExprPtr node = make(ExprKind::Ternary, line);
        node->children.push_back(std::move(value));
        node->children.push_back(or_expr());
        node->children.push_back(tokens_.skip_if(TokenType::Name, "else") ? expression() : nullptr);
        value = std::move(node);
    }
    return value;
}

ExprPtr ExpressionParser::expression_no_ternary() {
    Nested nested(*this);
    return or_expr();
}

// operand (keyword operand)* for the keywords `and` and `or`.
ExprPtr ExpressionParser::keyword_chain(std::string_view keyword,
                                        ExprPtr (ExpressionParser::*operand)()) {
    ExprPtr left = (this->*operand)();
    while (tokens_.at_name(keyword)) {
        const int line = tokens_.next().line;
        left = binary(std::string(keyword), std::move(left), (this->*operand)(), line);
    }
    return left;
}

ExprPtr ExpressionParser::or_expr() {
    return keyword_chain("or", &ExpressionParser::and_expr);
}

ExprPtr ExpressionParser::and_expr() {
    return keyword_chain("and", &ExpressionParser::not_expr);
}

ExprPtr ExpressionParser::not_expr() {
    if (tokens_.at_name("not")) {
        Nested nested(*this);
        ExprPtr node = make(ExprKind::Not, tokens_.next().line);
        node->children.push_back(not_expr());
        return node;
    }
    return comparison();
}

ExprPtr ExpressionParser::comparison() {
    ExprPtr left = additive();
    static constexpr std::array<std::string_view, 6> kOperators{"==", "!=", "<", ">", "<=", ">="};
    while (true) {
        const int line = tokens_.peek().line;
        std::string op;
        bool negated = false;
        for (const std::string_view candidate : kOperators) {
            if (tokens_.at_operator(candidate)) op = candidate;
        }
        if (op.empty() && tokens_.at_name("in")) op = "in";
        if (op.empty() && tokens_.at_name("not") && tokens_.peek(1).type == TokenType::Name &&
            tokens_.peek(1).text == "in") {
            tokens_.next();
            op = "in";
            negated = true;
        }
        if (op.empty()) return left;
        tokens_.next();
        left = binary(op, std::move(left), additive(), line);
        left->negated = negated;
    }
}

// operand (op operand)*, left-associative, for any of `ops`.
ExprPtr ExpressionParser::binary_chain(std::initializer_list<std::string_view> ops,
                                       ExprPtr (ExpressionParser::*operand)()) {
    ExprPtr left = (this->*operand)();
    while (true) {
        const Token& token = tokens_.peek();
        const bool matches = token.type == TokenType::Operator &&
                             std::find(ops.begin(), ops.end(), token.text) != ops.end();
        if (!matches) return left;
        const Token& op = tokens_.next();
        left = binary(op.text, std::move(left), (this->*operand)(), op.line);
    }
}

ExprPtr ExpressionParser::additive() {
    return binary_chain({"+", "-"}, &ExpressionParser::concat);
}

ExprPtr ExpressionParser::concat() {
    return binary_chain({"~"}, &ExpressionParser::multiplicative);
}

ExprPtr ExpressionParser::multiplicative() {
    return binary_chain({"*", "/", "//", "%"}, &ExpressionParser::power);
}

ExprPtr ExpressionParser::power() {
    return binary_chain({"**"}, &ExpressionParser::unary_with_filters);
}

ExprPtr ExpressionParser::unary_with_filters() {
    return unary(true);
}

ExprPtr ExpressionParser::unary(bool with_filters) {
    Nested nested(*this);
    ExprPtr node;
    if (tokens_.at_operator("-") || tokens_.at_operator("+")) {
        const Token& op = tokens_.next();
        ExprPtr operand = unary(false);
        if (op.text == "-") {
            node = make(ExprKind::Negate, op.line);
            node->children.push_back(std::move(operand));
        } else {
            node = std::move(operand);
        }
    } else {
        node = postfix(primary());
    }
    return with_filters ? filters_and_tests(std::move(node)) : std::move(node);
}

ExprPtr ExpressionParser::primary() {
    const Token& token = tokens_.peek();
    const int line = token.line;
    if (token.type == TokenType::Name) {
        tokens_.next();
        ExprPtr node = make(ExprKind::Literal, line);
        const std::string& name = token.text;
        if (name == "true" || name == "True")
            node->literal = true;
        else if (name == "false" || name == "False")
            node->literal = false;
        else if (name == "none" || name == "None")
            node->literal = nullptr;
        else
            node = make(ExprKind::Name, line, name);
        return node;
    }
    if (token.type == TokenType::String) {
        std::string text;
        while (tokens_.at(TokenType::String)) text += tokens_.next().text;  // 'a' 'b' is 'ab'
        ExprPtr node = make(ExprKind::Literal, line);
        node->literal = std::move(text);
        return node;
    }
    if (token.type == TokenType::Integer || token.type == TokenType::Float) {
        tokens_.next();
        ExprPtr node = make(ExprKind::Literal, line);
        if (token.type == TokenType::Float) {
            node->literal = std::strtod(token.text.c_str(), nullptr);
        } else {
            int64_t value = 0;
            const auto [end, ec] =
                std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
            if (ec != std::errc()) tokens_.error("integer literal out of range: " + token.text);
            node->literal = value;
        }
        return node;
    }
    if (tokens_.skip_if(TokenType::Operator, "(")) {
        if (tokens_.skip_if(TokenType::Operator, ")")) return make(ExprKind::List, line);
        ExprPtr first = expression();
        if (tokens_.skip_if(TokenType::Operator, ")")) return first;
        // A tuple: jinja2 treats it like a list for everything templates do with one.
        ExprPtr tuple = make(ExprKind::List, line);
        tuple->children.push_back(std::move(first));
        while (tokens_.skip_if(TokenType::Operator, ",")) {
            if (tokens_.at_operator(")")) break;
            tuple->children.push_back(expression());
        }
        tokens_.expect(TokenType::Operator, ")", "')'");
        return tuple;
    }
    if (tokens_.skip_if(TokenType::Operator, "[")) return sequence_literal("]", ExprKind::List);
    if (tokens_.skip_if(TokenType::Operator, "{")) return dict_literal();
    tokens_.error("unexpected " + TokenStream::describe(token));
}

ExprPtr ExpressionParser::sequence_literal(std::string_view close, ExprKind kind) {
    ExprPtr node = make(kind, tokens_.peek().line);
    while (!tokens_.at_operator(close)) {
        node->children.push_back(expression());
        if (!tokens_.skip_if(TokenType::Operator, ",")) break;
    }
    tokens_.expect(TokenType::Operator, close, "'" + std::string(close) + "'");
    return node;
}

ExprPtr ExpressionParser::dict_literal() {
    ExprPtr node = make(ExprKind::Dict, tokens_.peek().line);
    while (!tokens_.at_operator("}")) {
        node->children.push_back(expression());
        tokens_.expect(TokenType::Operator, ":", "':' in a dict literal");
        node->children.push_back(expression());
        if (!tokens_.skip_if(TokenType::Operator, ",")) break;
    }
    tokens_.expect(TokenType::Operator, "}", "'}'");
    return node;
}

ExprPtr ExpressionParser::postfix(ExprPtr node) {
    while (true) {
        const int line = tokens_.peek().line;
        if (tokens_.skip_if(TokenType::Operator, ".")) {
            const Token& name = tokens_.next();
            if (name.type != TokenType::Name && name.type != TokenType::Integer) {
                tokens_.error("expected a name after '.'");
            }
            ExprPtr attribute = make(ExprKind::Attribute, line, name.text);
            attribute->children.push_back(std::move(node));
            node = std::move(attribute);
        } else if (tokens_.skip_if(TokenType::Operator, "[")) {
            node = subscript(std::move(node));
        } else if (tokens_.skip_if(TokenType::Operator, "(")) {
            ExprPtr call = make(ExprKind::Call, line);
            call->children.push_back(std::move(node));
            arguments(*call);
            node = std::move(call);
        } else {
            return node;
        }
    }
}

ExprPtr ExpressionParser::subscript(ExprPtr operand) {
    const int line = tokens_.peek().line;
    std::array<ExprPtr, 3> parts;
    size_t part = 0;
    bool sliced = false;
    while (!tokens_.at_operator("]")) {
        if (tokens_.skip_if(TokenType::Operator, ":")) {
            sliced = true;
            if (++part > 2) tokens_.error("too many ':' in a slice");
            continue;
        }
        if (parts[part]) tokens_.error("expected ']' or ':'");
        parts[part] = expression();
    }
    tokens_.next();
    ExprPtr node = make(sliced ? ExprKind::Slice : ExprKind::Subscript, line);
    node->children.push_back(std::move(operand));
    if (!sliced && !parts[0]) tokens_.error("expected an index");
    if (!sliced) {
        node->children.push_back(std::move(parts[0]));
        return node;
    }
    for (ExprPtr& p : parts) node->children.push_back(std::move(p));
    return node;
}

// Arguments up to the closing ')': positional ones into children, `name=value` into keywords.
void ExpressionParser::arguments(Expr& call) {
    while (!tokens_.at_operator(")")) {
        if (tokens_.at(TokenType::Name) && tokens_.peek(1).type == TokenType::Operator &&
            tokens_.peek(1).text == "=") {
            std::string name = tokens_.next().text;
            tokens_.next();
            call.keywords.emplace_back(std::move(name), expression());
        } else {
            if (!call.keywords.empty()) tokens_.error("positional argument after keyword argument");
            call.children.push_back(expression());
        }
        if (!tokens_.skip_if(TokenType::Operator, ",")) break;
    }
    tokens_.expect(TokenType::Operator, ")", "')'");
}

ExprPtr ExpressionParser::filter(ExprPtr operand) {
    const Token& name = tokens_.expect(TokenType::Name, {}, "a filter name");
    ExprPtr node = make(ExprKind::Filter, name.line, name.text);
    node->children.push_back(std::move(operand));
    if (tokens_.skip_if(TokenType::Operator, "(")) arguments(*node);
    return node;
}

ExprPtr ExpressionParser::filters_and_tests(ExprPtr node) {
    while (true) {
        if (tokens_.skip_if(TokenType::Operator, "|")) {
            node = postfix(filter(std::move(node)));
        } else if (tokens_.skip_if(TokenType::Name, "is")) {
            node = test(std::move(node));
        } else {
            return node;
        }
    }
}

ExprPtr ExpressionParser::test(ExprPtr operand) {
    const bool negated = tokens_.skip_if(TokenType::Name, "not");
    const Token& name = tokens_.next();
    if (name.type != TokenType::Name) tokens_.error("expected a test name after 'is'");
    ExprPtr node = make(ExprKind::Test, name.line, name.text);
    node->negated = negated;
    node->children.push_back(std::move(operand));
    if (tokens_.skip_if(TokenType::Operator, "(")) {
        arguments(*node);
        return node;
    }
    // One argument may follow without parentheses: `is divisibleby 3`, `is equalto 'x'`.
    const Token& next = tokens_.peek();
    static constexpr std::array<std::string_view, 7> kKeywords{"else", "or",  "and", "if",
                                                               "in",   "not", "is"};
    const bool keyword =
        std::find(kKeywords.begin(), kKeywords.end(), next.text) != kKeywords.end();
    const bool starts_argument = next.type == TokenType::String ||
                                 next.type == TokenType::Integer || next.type == TokenType::Float ||
                                 (next.type == TokenType::Operator && next.text == "[") ||
                                 (next.type == TokenType::Name && !keyword);
    if (starts_argument) node->children.push_back(postfix(primary()));
    return node;
}

}  // namespace assistd::chat
