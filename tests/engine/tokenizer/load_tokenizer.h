// Loads a tokenizer from a shared model or vocabulary file for the tokenizer tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/tokenizer.h"
#include "support/shared_data.h"

namespace assistd::testing {

// `relative` under ../shared, e.g. "models/vocab/ggml-vocab-qwen2.gguf". The file is closed
// before returning, which also shows the tokenizer keeps its own copy of the vocabulary.
inline Tokenizer load_tokenizer(const std::string& relative) {
    auto file = gguf::GgufFile::open(shared_path(relative));
    if (!file) ADD_FAILURE() << relative << ": " << file.error().message;
    auto tokenizer = Tokenizer::from_gguf(*file);
    if (!tokenizer) ADD_FAILURE() << relative << ": " << tokenizer.error().message;
    return std::move(*tokenizer);
}

inline std::string vocab_path(const std::string& name) {
    return "models/vocab/ggml-vocab-" + name + ".gguf";
}

}  // namespace assistd::testing
