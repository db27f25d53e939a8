// Parses template source into statements: text, {{ output }}, if/elif/else, for (with a filter
// `if` and an else), set (names, tuples, namespace attributes, and set blocks), macro, filter
// blocks, break and continue. Any other tag, or a block left open, is a Syntax error.
#pragma once

#include <string_view>

#include "engine/chat/ast.h"
#include "engine/chat/render_limits.h"

namespace assistd::chat {

// Throws TemplateFailure (see template_error.h); ChatTemplate::parse turns it into a result.
Body parse_template(std::string_view source, const RenderLimits& limits);

}  // namespace assistd::chat
