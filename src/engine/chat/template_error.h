// What went wrong in a chat template: a syntax error found while parsing (with its line), a
// raise_exception() the template called on purpose, an undefined value used where jinja2 refuses
// one, a type error (jinja2 would raise a Python TypeError), or a sandbox limit reached.
// The API answers every one of them with a 400 carrying `message`.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace assistd::chat {

enum class TemplateErrorKind { Syntax, Raised, Undefined, Type, Limit };

struct TemplateError {
    TemplateErrorKind kind;
    std::string message;  // for Raised and Undefined, jinja2's exact message
    int line = 0;         // 1-based line of the template for Syntax errors, else 0
};

// A value or the TemplateError that stopped it.
template <typename T>
using TemplateResult = Result<T, TemplateError>;

// How the interpreter unwinds from deep inside an expression to the public entry points, which
// catch it and return it as a TemplateResult.
struct TemplateFailure {
    TemplateError error;
};

[[noreturn]] inline void fail(TemplateErrorKind kind, std::string message, int line = 0) {
    throw TemplateFailure{{kind, std::move(message), line}};
}

}  // namespace assistd::chat
