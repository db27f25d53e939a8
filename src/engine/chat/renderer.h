// Runs a parsed template over a context of variables and returns the text it writes.
//
// Scopes follow jinja2: the context and top-level `set`s form the outer scope; each loop
// iteration and each macro call opens its own, so a `set` inside them is gone afterwards (that
// is what namespace() objects are for). Macros see the outer scope and their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/chat/ast.h"
#include "engine/chat/render_limits.h"
#include "engine/chat/value.h"

namespace assistd::chat {

class Renderer {
  public:
    // `variables` is the outer scope (context and globals); throws TemplateFailure.
    Renderer(ValueDict variables, const RenderLimits& limits);

    std::string render(const Body& body);

  private:
    enum class Flow { Normal, Break, Continue };
    using Scope = std::vector<std::pair<std::string, Value>>;

    Flow execute(const Body& body, std::string& out);
    Flow execute_for(const ForStatement& node, std::string& out);
    void execute_set(const SetStatement& node);
    void execute_capture(const CaptureStatement& node, std::string& out);
    void define_macro(const MacroStatement& node);
    Value call_macro(const MacroStatement& node, CallArguments& args);
    void write(std::string& out, std::string_view text);

    Value evaluate(const Expr& expr);
    Value evaluate_call(const Expr& expr);
    Value evaluate_filter(const Expr& expr, Value operand);
    CallArguments evaluate_arguments(const Expr& expr, size_t first_child);
    Value lookup(const std::string& name) const;
    void assign(const std::string& name, Value value);
    void count_iteration();

    std::vector<Scope> scopes_;
    RenderLimits limits_;
    size_t written_ = 0;
    int64_t iterations_ = 0;
    int call_depth_ = 0;
};

}  // namespace assistd::chat
