// libFuzzer entry point for the GGUF reader: parse the input and, when it parses, check every
// promise the parsed file makes (gguf_invariants.h). A broken promise aborts, so that libFuzzer
// keeps the input; a sanitizer report does the same for any out-of-bounds read.
#include <cstdio>
#include <cstdlib>

#include "engine/gguf/gguf_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    assistd::Result<void> checked = assistd::gguf::parse_and_check({data, size});
    if (!checked) {
        std::fprintf(stderr, "%s\n", checked.error().message.c_str());
        std::abort();
    }
    return 0;
}
