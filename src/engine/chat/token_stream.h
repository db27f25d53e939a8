// A cursor over the lexer's tokens, shared by the statement and expression parsers; its errors
// are Syntax errors that carry the line of the token at hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/chat/lexer.h"
#include "engine/chat/template_error.h"

namespace assistd::chat {

class TokenStream {
  public:
    explicit TokenStream(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    const Token& peek(size_t ahead = 0) const {
        const size_t i = pos_ + ahead;
        return i < tokens_.size() ? tokens_[i] : tokens_.back();
    }
    const Token& next() {
        const Token& token = peek();
        if (pos_ < tokens_.size() - 1) ++pos_;
        return token;
    }
    bool at(TokenType type, std::string_view text = {}) const {
        return peek().type == type && (text.empty() || peek().text == text);
    }
    bool at_operator(std::string_view op) const { return at(TokenType::Operator, op); }
    bool at_name(std::string_view name) const { return at(TokenType::Name, name); }
    bool skip_if(TokenType type, std::string_view text) {
        if (!at(type, text)) return false;
        next();
        return true;
    }
    const Token& expect(TokenType type, std::string_view text, std::string_view what) {
        if (!at(type, text)) error("expected " + std::string(what) + ", got " + describe(peek()));
        return next();
    }
    [[noreturn]] void error(const std::string& message) const {
        fail(TemplateErrorKind::Syntax, message, peek().line);
    }
    static std::string describe(const Token& token) {
        switch (token.type) {
            case TokenType::End:
                return "end of template";
            case TokenType::BlockEnd:
                return "end of statement block";
            case TokenType::VariableEnd:
                return "end of print statement";
            case TokenType::Text:
                return "template text";
            default:
                return "'" + token.text + "'";
        }
    }

  private:
    std::vector<Token> tokens_;
    size_t pos_ = 0;
};

}  // namespace assistd::chat
