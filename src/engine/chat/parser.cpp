#include "engine/chat/parser.h"

#include <initializer_list>

#include "engine/chat/expression_parser.h"
#include "engine/chat/lexer.h"
#include "engine/chat/token_stream.h"

namespace assistd::chat {

namespace {

class StatementParser {
  public:
    StatementParser(std::vector<Token> tokens, int max_nesting)
        : tokens_(std::move(tokens)),
          expressions_(tokens_, max_nesting),
          max_nesting_(max_nesting) {}

    Body parse() {
        Body body = block({});
        if (!tokens_.at(TokenType::End)) tokens_.error("unexpected end tag");
        return body;
    }

  private:
    // Statements up to one of the `ends` tags (left unread, after its {%), or the end of input.
    Body block(std::initializer_list<std::string_view> ends) {
        if (++depth_ > max_nesting_) tokens_.error("blocks nested too deeply");
        Body body;
        while (true) {
            const Token& token = tokens_.peek();
            if (token.type == TokenType::End) {
                if (ends.size() > 0) {
                    std::string expected;
                    for (const std::string_view end : ends) {
                        expected += (expected.empty() ? "'" : " or '") + std::string(end) + "'";
                    }
                    tokens_.error(
                        "Unexpected end of template. Jinja was looking for the following tags: " +
                        expected + ".");
                }
                break;
            }
            if (token.type == TokenType::Text) {
                body.push_back({token.line, TextStatement{tokens_.next().text}});
            } else if (token.type == TokenType::VariableBegin) {
                tokens_.next();
                ExprPtr value = expressions_.expression();
                tokens_.expect(TokenType::VariableEnd, {}, "end of print statement");
                body.push_back({token.line, OutputStatement{std::move(value)}});
            } else {
                const Token& tag = tokens_.peek(1);
                for (const std::string_view end : ends) {
                    if (tag.type == TokenType::Name && tag.text == end) {
                        --depth_;
                        return body;
                    }
                }
                tokens_.next();
                body.push_back(statement());
            }
        }
        --depth_;
        return body;
    }

    // Reads `{% name %}` where the block ends.
    void end_tag(std::string_view name) {
        tokens_.expect(TokenType::BlockBegin, {}, "'{%'");
        tokens_.expect(TokenType::Name, name, "'" + std::string(name) + "'");
        tokens_.expect(TokenType::BlockEnd, {}, "end of statement block");
    }

    void tag_end() { tokens_.expect(TokenType::BlockEnd, {}, "end of statement block"); }

    Statement statement() {
        const Token& keyword = tokens_.expect(TokenType::Name, {}, "a statement name");
        const int line = keyword.line;
        const std::string& name = keyword.text;
        if (name == "if") return {line, if_statement()};
        if (name == "for") return {line, for_statement()};
        if (name == "set") return set_statement(line);
        if (name == "macro") return {line, macro_statement()};
        if (name == "filter") return {line, filter_statement()};
        if (name == "break" || name == "continue") {
            tag_end();
            if (loop_depth_ == 0) tokens_.error("'" + name + "' outside of a loop");
            if (name == "break") return {line, BreakStatement{}};
            return {line, ContinueStatement{}};
        }
        fail(TemplateErrorKind::Syntax, "Encountered unknown tag '" + name + "'.", line);
    }

    IfStatement if_statement() {
        IfStatement node;
        ExprPtr condition = expressions_.expression();
        tag_end();
        while (true) {
            Body body = block({"elif", "else", "endif"});
            node.branches.emplace_back(std::move(condition), std::move(body));
            tokens_.next();  // {%
            const std::string tag = tokens_.next().text;
            if (tag == "elif") {
                condition = expressions_.expression();
                tag_end();
                continue;
            }
            tag_end();
            if (tag == "else") {
                node.otherwise = block({"endif"});
                end_tag("endif");
            }
            return node;
        }
    }

    std::vector<std::string> targets() {
        std::vector<std::string> names;
        const bool parenthesized = tokens_.skip_if(TokenType::Operator, "(");
        do {
            names.push_back(tokens_.expect(TokenType::Name, {}, "a variable name").text);
        } while (tokens_.skip_if(TokenType::Operator, ","));
        if (parenthesized) tokens_.expect(TokenType::Operator, ")", "')'");
        return names;
    }

    ForStatement for_statement() {
        ForStatement node;
        node.targets = targets();
        tokens_.expect(TokenType::Name, "in", "'in'");
        node.iterable = expressions_.expression_no_ternary();
        if (tokens_.skip_if(TokenType::Name, "if"))
            node.condition = expressions_.expression_no_ternary();
        if (tokens_.at_name("recursive")) tokens_.error("recursive loops are not supported");
        tag_end();
        ++loop_depth_;
        node.body = block({"else", "endfor"});
        --loop_depth_;
        tokens_.next();
        if (tokens_.next().text == "else") {
            tag_end();
            node.otherwise = block({"endfor"});
            end_tag("endfor");
        } else {
            tag_end();
        }
        return node;
    }

    Statement set_statement(int line) {
        if (tokens_.at(TokenType::Name) && tokens_.peek(1).type == TokenType::Operator &&
            tokens_.peek(1).text == ".") {
            SetStatement node;
            node.targets.push_back(tokens_.next().text);
            tokens_.next();
            node.attribute = tokens_.expect(TokenType::Name, {}, "an attribute name").text;
            tokens_.expect(TokenType::Operator, "=", "'='");
            node.value = expressions_.expression();
            tag_end();
            return {line, std::move(node)};
        }
        std::vector<std::string> names = targets();
        if (tokens_.skip_if(TokenType::Operator, "=")) {
            SetStatement node;
            node.targets = std::move(names);
            node.value = expressions_.expression();
            if (tokens_.at_operator(",")) {  // set a, b = 1, 2
                ExprPtr tuple = std::make_unique<Expr>();
                tuple->kind = ExprKind::List;
                tuple->children.push_back(std::move(node.value));
                while (tokens_.skip_if(TokenType::Operator, ","))
                    tuple->children.push_back(expressions_.expression());
                node.value = std::move(tuple);
            }
            tag_end();
            return {line, std::move(node)};
        }
        if (names.size() != 1) tokens_.error("a set block assigns one name");
        CaptureStatement capture;
        capture.name = names.front();
        capture.filters = filter_chain();
        tag_end();
        capture.body = block({"endset"});
        end_tag("endset");
        return {line, std::move(capture)};
    }

    std::vector<ExprPtr> filter_chain() {
        std::vector<ExprPtr> filters;
        if (tokens_.at(TokenType::BlockEnd)) return filters;
        filters.push_back(expressions_.filter(nullptr));
        while (tokens_.skip_if(TokenType::Operator, "|"))
            filters.push_back(expressions_.filter(nullptr));
        return filters;
    }

    CaptureStatement filter_statement() {
        CaptureStatement node;
        node.filters = filter_chain();
        if (node.filters.empty()) tokens_.error("expected a filter name");
        tag_end();
        node.body = block({"endfilter"});
        end_tag("endfilter");
        return node;
    }

    MacroStatement macro_statement() {
        MacroStatement node;
        node.name = tokens_.expect(TokenType::Name, {}, "a macro name").text;
        tokens_.expect(TokenType::Operator, "(", "'('");
        while (!tokens_.at_operator(")")) {
            node.parameters.push_back(tokens_.expect(TokenType::Name, {}, "a parameter name").text);
            node.defaults.push_back(
                tokens_.skip_if(TokenType::Operator, "=") ? expressions_.expression() : nullptr);
            if (!tokens_.skip_if(TokenType::Operator, ",")) break;
        }
        tokens_.expect(TokenType::Operator, ")", "')'");
        tag_end();
        const int outer_loops = loop_depth_;
        loop_depth_ = 0;
        node.body = std::make_shared<const Body>(block({"endmacro"}));
        loop_depth_ = outer_loops;
        end_tag("endmacro");
        return node;
    }

    TokenStream tokens_;
    ExpressionParser expressions_;
    int max_nesting_;
    int depth_ = 0;
    int loop_depth_ = 0;
};

}  // namespace

Body parse_template(std::string_view source, const RenderLimits& limits) {
    return StatementParser(lex_template(source), limits.max_nesting).parse();
}

}  // namespace assistd::chat
