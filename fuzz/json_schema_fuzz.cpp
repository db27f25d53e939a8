// libFuzzer entry point for structured output: any bytes that parse as JSON are compiled as a
// JSON Schema. A refusal must say why; an accepted schema's grammar then reads the same bytes one
// at a time, and must do so without a crash, whatever they are.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "engine/grammar/grammar_matcher.h"
#include "engine/grammar/json_schema_grammar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const nlohmann::json schema = nlohmann::json::parse(text, nullptr, false);
    if (schema.is_discarded()) return 0;
    assistd::Result<assistd::Grammar> grammar = assistd::json_schema_grammar(schema, "schema");
    if (!grammar) {
        if (grammar.error().message.empty()) {
            std::fprintf(stderr, "broken promise: a refused schema says why\n");
            std::abort();
        }
        return 0;
    }
    assistd::GrammarMatcher matcher(std::make_shared<const assistd::Grammar>(std::move(*grammar)));
    for (size_t i = 0; i < text.size() && matcher.accept(text.substr(i, 1)); ++i) {
    }
    static_cast<void>(matcher.complete());
    return 0;
}
