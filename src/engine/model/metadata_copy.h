// Copies metadata from a parsed GGUF file into a GgufWriter, value for value, so that a derived
// file (quantized, or a synthetic model wearing a real tokenizer) keeps what the original said.
#pragma once

#include <functional>
#include <string_view>

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"

namespace assistd {

// Copies every key of `from` for which keep(key) is true, in the file's order.
void copy_metadata(const gguf::GgufFile& from, gguf::GgufWriter& to,
                   const std::function<bool(std::string_view key)>& keep);

}  // namespace assistd
