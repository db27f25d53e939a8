// Template errors and sandbox limits: what fails, with which kind and message, and that hostile
// templates stop at the limits instead of exhausting memory, time or the stack.
#include <gtest/gtest.h>

#include "render_text.h"

namespace assistd::chat {
namespace {

using testing::try_render;

TemplateError error_of(std::string_view source, std::string_view context = "{}",
                       const RenderLimits& limits = {}) {
    TemplateResult<std::string> rendered = try_render(source, context, limits);
    EXPECT_FALSE(rendered.ok()) << source << " rendered " << *rendered;
    return rendered.ok() ? TemplateError{TemplateErrorKind::Syntax, "", 0} : rendered.error();
}

TEST(ChatTemplateErrors, SyntaxErrorsNameTheirLine) {
    const TemplateError unclosed = error_of("a\nb\n{% if x %}never closed");
    EXPECT_EQ(unclosed.kind, TemplateErrorKind::Syntax);
    EXPECT_EQ(unclosed.line, 3);
    EXPECT_NE(unclosed.message.find("endif"), std::string::npos) << unclosed.message;

    const TemplateError unknown = error_of("\n\n\n{% include 'x' %}");
    EXPECT_EQ(unknown.line, 4);
    EXPECT_EQ(unknown.message, "Encountered unknown tag 'include'.");

    EXPECT_EQ(error_of("{{ 1 + }}").kind, TemplateErrorKind::Syntax);
    EXPECT_EQ(error_of("{{ 'unterminated }}").kind, TemplateErrorKind::Syntax);
    EXPECT_EQ(error_of("{# no end").kind, TemplateErrorKind::Syntax);
    EXPECT_EQ(error_of("{% break %}").kind, TemplateErrorKind::Syntax);
    EXPECT_EQ(error_of("{{ x").kind, TemplateErrorKind::Syntax);
}

TEST(ChatTemplateErrors, RaiseExceptionCarriesTheTemplatesMessage) {
    const TemplateError raised = error_of("{{ raise_exception('Roles must alternate ' ~ 2) }}");
    EXPECT_EQ(raised.kind, TemplateErrorKind::Raised);
    EXPECT_EQ(raised.message, "Roles must alternate 2");
}

TEST(ChatTemplateErrors, UndefinedUsesFailLikeJinja2) {
    EXPECT_EQ(error_of("{{ missing + 'x' }}").message, "'missing' is undefined");
    EXPECT_EQ(error_of("{{ d.a.b }}", R"({"d": {}})").message,
              "'dict object' has no attribute 'a'");
    EXPECT_EQ(error_of("{{ missing.attr }}").kind, TemplateErrorKind::Undefined);
    // Printing, testing, iterating and ~ are allowed on undefined values.
    EXPECT_EQ(testing::render_text(
                  "[{{ missing }}{{ missing ~ 'x' }}{% for i in missing %}i{% endfor %}]"),
              "[x]");
}

TEST(ChatTemplateErrors, PythonTypeErrorsAreTypeErrors) {
    EXPECT_EQ(error_of("{{ 'a' + 1 }}").kind, TemplateErrorKind::Type);
    EXPECT_EQ(error_of("{{ 1 / 0 }}").kind, TemplateErrorKind::Type);
    EXPECT_EQ(error_of("{{ x | nosuchfilter }}").message, "No filter named 'nosuchfilter'.");
    EXPECT_EQ(error_of("{{ [1] | map(attribute='a') | tojson }}").message,
              "Object of type generator is not JSON serializable");
    EXPECT_EQ(error_of("{% set x = 1 %}{% set x.attr = 2 %}").kind, TemplateErrorKind::Type);
}

TEST(ChatTemplateErrors, SandboxReachesNoPythonInternals) {
    EXPECT_EQ(testing::render_text("{{ ''.__class__ }}|{{ messages.__len__ is defined }}",
                                   R"({"messages": []})"),
              "|False");
    EXPECT_EQ(error_of("{{ ''.__class__.__mro__ }}").kind, TemplateErrorKind::Undefined);
    EXPECT_EQ(error_of("{{ [1].append(2) }}").kind, TemplateErrorKind::Undefined);
}

TEST(ChatTemplateLimits, OutputIsCapped) {
    RenderLimits limits;
    limits.max_output_bytes = 1000;
    EXPECT_EQ(error_of("{% for i in range(100) %}0123456789abcdef{% endfor %}", "{}", limits).kind,
              TemplateErrorKind::Limit);
    EXPECT_EQ(error_of("{{ 'x' * 100000000000 }}", "{}", limits).kind, TemplateErrorKind::Limit);
    EXPECT_EQ(error_of("{% set ns = namespace(s='ab') %}{% for i in range(20) %}{% set ns.s = ns.s "
                       "+ ns.s %}{% endfor %}",
                       "{}", limits)
                  .kind,
              TemplateErrorKind::Limit);
    EXPECT_TRUE(try_render("{% for i in range(10) %}0123456789{% endfor %}", "{}", limits).ok());
}

TEST(ChatTemplateLimits, LoopIterationsAreCapped) {
    RenderLimits limits;
    limits.max_loop_iterations = 1000;
    EXPECT_EQ(error_of("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}",
                       "{}", limits)
                  .kind,
              TemplateErrorKind::Limit);
    EXPECT_EQ(error_of("{{ range(1000000000000) | length }}", "{}", limits).kind,
              TemplateErrorKind::Limit);
}

TEST(ChatTemplateLimits, RecursionIsCapped) {
    EXPECT_EQ(error_of("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").kind,
              TemplateErrorKind::Limit);
    const std::string deep_expression =
        "{{ " + std::string(10000, '(') + "1" + std::string(10000, ')') + " }}";
    EXPECT_EQ(error_of(deep_expression).kind, TemplateErrorKind::Syntax);
    std::string deep_blocks;
    for (int i = 0; i < 5000; ++i) deep_blocks += "{% if true %}";
    EXPECT_EQ(error_of(deep_blocks).kind, TemplateErrorKind::Syntax);
}

TEST(ChatTemplateErrors, StrftimeNowFormatsTheGivenTime) {
    TemplateResult<ChatTemplate> parsed = ChatTemplate::parse("{{ strftime_now('%d %b %Y') }}");
    ASSERT_TRUE(parsed.ok());
    std::tm now{};
    now.tm_year = 2026 - 1900;
    now.tm_mon = 10;
    now.tm_mday = 29;
    TemplateResult<std::string> rendered =
        parsed->render_context(nlohmann::ordered_json::object(), now);
    ASSERT_TRUE(rendered.ok());
    EXPECT_EQ(*rendered, "29 Nov 2026");
}

}  // namespace
}  // namespace assistd::chat
