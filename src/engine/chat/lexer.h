// Splits template source into text and the tokens inside {{ }} and {% %}, applying jinja2's
// whitespace rules as HF configures them: trim_blocks (the newline after a block or comment tag
// goes), lstrip_blocks (spaces and tabs before a block or comment tag on its own line go), the
// explicit {%- -%} {{- -}} {#- -#} markers, "+" to keep the whitespace, and keep_trailing_newline
// off (one final newline of the source goes). Comments vanish here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace assistd::chat {

enum class TokenType {
    Text,
    VariableBegin,  // {{
    VariableEnd,    // }}
    BlockBegin,     // {%
    BlockEnd,       // %}
    Name,
    String,   // text holds the value, escapes resolved
    Integer,  // text holds the digits
    Float,
    Operator,  // text holds the operator: "==", "(", "|", ...
    End,
};

struct Token {
    TokenType type;
    std::string text;
    int line;
};

// Fails with a Syntax TemplateError (line included) on an unclosed tag, comment or string.
std::vector<Token> lex_template(std::string_view source);

}  // namespace assistd::chat
