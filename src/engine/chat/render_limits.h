// The sandbox's bounds on one render: a template from a GGUF file is untrusted code, so output,
// loops and macro recursion are capped and exceeding a cap is a TemplateError of kind Limit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace assistd::chat {

struct RenderLimits {
    // Counts every byte written, also inside macros and set blocks (so a macro's text may count
    // twice), and caps any single string or list the template builds.
    size_t max_output_bytes = 4 << 20;
    int64_t max_loop_iterations = 1 << 20;  // all loops of one render together, range() included
    int max_call_depth = 64;                // nested macro calls
    int max_nesting = 128;                  // nested expressions and blocks the parser accepts
};

}  // namespace assistd::chat
