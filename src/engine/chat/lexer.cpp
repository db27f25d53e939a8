#include "engine/chat/lexer.h"

#include <array>
#include <cctype>

#include "engine/chat/template_error.h"
#include "engine/tokenizer/utf8.h"

namespace assistd::chat {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string normalize_newlines(std::string_view source) {
    std::string text;
    text.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            text += '\n';
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            text += source[i];
        }
    }
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

class Lexer {
  public:
    explicit Lexer(std::string source) : source_(std::move(source)) {}

    std::vector<Token> run() {
        bool line_starting = true;
        while (pos_ < source_.size()) {
            const size_t open = find_tag_open(pos_);
            std::string text = source_.substr(pos_, open - pos_);
            if (open == source_.size()) {
                add_text(std::move(text));
                break;
            }
            const char kind = source_[open + 1];
            const char marker = open + 2 < source_.size() ? source_[open + 2] : '\0';
            if (marker == '-') {
                while (!text.empty() && is_space(text.back())) text.pop_back();
            } else if (marker != '+' && kind != '{') {
                lstrip_line(text, line_starting);
            }
            add_text(std::move(text));
            pos_ = open + 2 + (marker == '-' || marker == '+' ? 1 : 0);
            if (kind == '#') {
                skip_comment();
            } else {
                lex_tag(kind);
            }
            line_starting = pos_ > 0 && source_[pos_ - 1] == '\n';
        }
        tokens_.push_back({TokenType::End, "", line_});
        return std::move(tokens_);
    }

  private:
    size_t find_tag_open(size_t from) const {
        for (size_t i = from; i + 1 < source_.size(); ++i) {
            if (source_[i] == '{' &&
                (source_[i + 1] == '{' || source_[i + 1] == '%' || source_[i + 1] == '#')) {
                return i;
            }
        }
        return source_.size();
    }

    // lstrip_blocks: the spaces and tabs between the start of the line and a block tag go.
    static void lstrip_line(std::string& text, bool line_starting) {
        const size_t newline = text.rfind('\n');
        if (newline == std::string::npos && !line_starting) return;
        const size_t line_start = newline == std::string::npos ? 0 : newline + 1;
        for (size_t i = line_start; i < text.size(); ++i) {
            if (text[i] != ' ' && text[i] != '\t') return;
        }
        text.resize(line_start);
    }

    void add_text(std::string text) {
        const int line = line_;
        for (const char c : text) line_ += c == '\n';
        if (!text.empty()) tokens_.push_back({TokenType::Text, std::move(text), line});
    }

    void count_lines(size_t from, size_t to) {
        for (size_t i = from; i < to; ++i) line_ += source_[i] == '\n';
    }

    // After a tag: "-" strips all following whitespace, trim_blocks one newline unless "+".
    void after_tag_end(char marker, bool block_like) {
        if (marker == '-') {
            const size_t start = pos_;
            while (pos_ < source_.size() && is_space(source_[pos_])) ++pos_;
            count_lines(start, pos_);
        } else if (marker != '+' && block_like && pos_ < source_.size() && source_[pos_] == '\n') {
            ++pos_;
            ++line_;
        }
    }

    void skip_comment() {
        const size_t close = source_.find("#}", pos_);
        if (close == std::string::npos)
            fail(TemplateErrorKind::Syntax, "Missing end of comment tag", line_);
        const char marker = close > pos_ && (source_[close - 1] == '-' || source_[close - 1] == '+')
                                ? source_[close - 1]
                                : '\0';
        count_lines(pos_, close);
        pos_ = close + 2;
        after_tag_end(marker, true);
    }

    void lex_tag(char kind) {
        const bool block = kind == '%';
        const char close = block ? '%' : '}';
        tokens_.push_back({block ? TokenType::BlockBegin : TokenType::VariableBegin, "", line_});
        int depth = 0;
        while (true) {
            while (pos_ < source_.size() && is_space(source_[pos_])) {
                line_ += source_[pos_] == '\n';
                ++pos_;
            }
            if (pos_ >= source_.size()) {
                fail(TemplateErrorKind::Syntax,
                     std::string("unexpected end of template, expected '") +
                         (block ? "end of statement block" : "end of print statement") + "'",
                     line_);
            }
            if (depth == 0) {
                for (const char marker : {'-', '+', '\0'}) {
                    const std::string end =
                        marker == '\0' ? std::string{close, '}'} : std::string{marker, close, '}'};
                    if (source_.compare(pos_, end.size(), end) == 0) {
                        tokens_.push_back(
                            {block ? TokenType::BlockEnd : TokenType::VariableEnd, "", line_});
                        pos_ += end.size();
                        after_tag_end(marker, block);
                        return;
                    }
                }
            }
            lex_expression_token(depth);
        }
    }

    void lex_expression_token(int& depth) {
        const char c = source_[pos_];
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const size_t start = pos_;
            while (
                pos_ < source_.size() &&
                (std::isalnum(static_cast<unsigned char>(source_[pos_])) || source_[pos_] == '_')) {
                ++pos_;
            }
            tokens_.push_back({TokenType::Name, source_.substr(start, pos_ - start), line_});
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            lex_number();
        } else if (c == '\'' || c == '"') {
            lex_string(c);
        } else {
            lex_operator(depth);
        }
    }

    void lex_number() {
        const size_t start = pos_;
        auto digits = [&] {
            while (
                pos_ < source_.size() &&
                (std::isdigit(static_cast<unsigned char>(source_[pos_])) || source_[pos_] == '_')) {
                ++pos_;
            }
        };
        digits();
        bool is_float = false;
        if (pos_ + 1 < source_.size() && source_[pos_] == '.' &&
            std::isdigit(static_cast<unsigned char>(source_[pos_ + 1]))) {
            is_float = true;
            ++pos_;
            digits();
        }
        if (pos_ < source_.size() && (source_[pos_] == 'e' || source_[pos_] == 'E')) {
            size_t exponent = pos_ + 1;
            if (exponent < source_.size() && (source_[exponent] == '+' || source_[exponent] == '-'))
                ++exponent;
            if (exponent < source_.size() &&
                std::isdigit(static_cast<unsigned char>(source_[exponent]))) {
                is_float = true;
                pos_ = exponent;
                digits();
            }
        }
        std::string text;
        for (size_t i = start; i < pos_; ++i) {
            if (source_[i] != '_') text += source_[i];
        }
        tokens_.push_back(
            {is_float ? TokenType::Float : TokenType::Integer, std::move(text), line_});
    }

    uint32_t hex_value(size_t digits) {
        if (pos_ + digits > source_.size())
            fail(TemplateErrorKind::Syntax, "truncated \\x, \\u or \\U escape", line_);
        uint32_t value = 0;
        for (size_t i = 0; i < digits; ++i) {
            const char h = source_[pos_ + i];
            if (!std::isxdigit(static_cast<unsigned char>(h))) {
                fail(TemplateErrorKind::Syntax, "invalid \\x, \\u or \\U escape", line_);
            }
            value = value * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                           ? h - '0'
                                                           : (std::tolower(h) - 'a' + 10));
        }
        pos_ += digits;
        return value;
    }

    // Python's unicode-escape rules, as jinja2 applies them to string literals.
    void lex_string(char quote) {
        const int line = line_;
        ++pos_;
        std::string value;
        while (true) {
            if (pos_ >= source_.size())
                fail(TemplateErrorKind::Syntax, "unexpected end of string", line);
            const char c = source_[pos_++];
            if (c == quote) break;
            line_ += c == '\n';
            if (c != '\\' || pos_ >= source_.size()) {
                value += c;
                continue;
            }
            const char e = source_[pos_++];
            static constexpr std::array<std::pair<char, char>, 9> kSimple{{{'n', '\n'},
                                                                           {'t', '\t'},
                                                                           {'r', '\r'},
                                                                           {'\\', '\\'},
                                                                           {'\'', '\''},
                                                                           {'"', '"'},
                                                                           {'0', '\0'},
                                                                           {'b', '\b'},
                                                                           {'f', '\f'}}};
            bool simple = false;
            for (const auto& [letter, replacement] : kSimple) {
                if (e == letter) {
                    value += replacement;
                    simple = true;
                }
            }
            if (simple) continue;
            if (e == '\n') continue;
            if (e == 'x' || e == 'u' || e == 'U') {
                const uint32_t code_point = hex_value(e == 'x' ? 2 : e == 'u' ? 4 : 8);
                if (code_point > 0x10FFFF)
                    fail(TemplateErrorKind::Syntax, "escape beyond U+10FFFF", line_);
                utf8::append(value, code_point);
                continue;
            }
            value += '\\';
            value += e;
        }
        tokens_.push_back({TokenType::String, std::move(value), line});
    }

    void lex_operator(int& depth) {
        static constexpr std::array<std::string_view, 6> kTwoChar{
            "//", "**", "==", "!=", "<=", ">="};
        for (const std::string_view op : kTwoChar) {
            if (source_.compare(pos_, 2, op) == 0) {
                tokens_.push_back({TokenType::Operator, std::string(op), line_});
                pos_ += 2;
                return;
            }
        }
        const char c = source_[pos_];
        if (std::string_view("+-*/%~()[]{},.:|=<>").find(c) == std::string_view::npos) {
            fail(TemplateErrorKind::Syntax, std::string("unexpected char '") + c + "'", line_);
        }
        if (c == '(' || c == '[' || c == '{') ++depth;
        if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
        tokens_.push_back({TokenType::Operator, std::string(1, c), line_});
        ++pos_;
    }

    std::string source_;
    size_t pos_ = 0;
    int line_ = 1;
    std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> lex_template(std::string_view source) {
    return Lexer(normalize_newlines(source)).run();
}

}  // namespace assistd::chat
