// The functions HF puts in a chat template's globals, and jinja2's own that templates use:
// raise_exception(message), strftime_now(format), namespace(**attributes), range(...), dict(**).
#pragma once

#include <ctime>

#include "engine/chat/render_limits.h"
#include "engine/chat/value.h"

namespace assistd::chat {

// `now` is the calendar time strftime_now formats.
ValueDict builtin_globals(const std::tm& now, const RenderLimits& limits);

}  // namespace assistd::chat
