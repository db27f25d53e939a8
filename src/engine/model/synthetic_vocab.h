// The tokenizer of a synthetic model: copied from a vocab-only GGUF (llama.cpp ships them as
// ggml-vocab-*.gguf), or a built-in byte-level BPE vocabulary made in memory so that nothing has
// to be downloaded.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/result.h"
#include "engine/gguf/gguf_writer.h"

namespace assistd {

// Copies every tokenizer.* key of the GGUF at `path`; returns its number of tokens.
Result<int64_t> add_vocab_from_file(const std::filesystem::path& path, gguf::GgufWriter& out);

// GPT-2-style byte-level BPE with no merges: the 256 byte tokens (ids 0..255, so any text
// encodes, one token per byte), then <s> (BOS, 256) and </s> (EOS, 257), and a ChatML chat
// template. Returns the number of tokens, 258.
int64_t add_byte_vocab(gguf::GgufWriter& out);

}  // namespace assistd
