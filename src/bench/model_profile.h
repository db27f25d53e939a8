// ModelProfile: what a benchmark row says about the model (llama-bench's model columns) and how
// many bytes of weights one generated token reads.
#pragma once

#include <cstdint>
#include <string>

#include "engine/gguf/gguf_file.h"

namespace assistd::bench {

struct ModelProfile {
    std::string filename;                 // as given on the command line
    std::string type;                     // "qwen2 0.5B Q4_0": architecture, size, weight type
    uint64_t size_bytes = 0;              // all tensor data
    uint64_t n_params = 0;                // all tensor elements
    uint64_t weight_bytes_per_token = 0;  // bytes of weights one decode step reads
    bool use_mmap = false;                // computed from the file mapping (`--mmap`)
};

// Describes `file` the way llama-bench describes a model: the weight type is the file's
// general.file_type when present (llama.cpp's names, e.g. "Q4_K - Medium"), otherwise the type
// holding most of the weight bytes.
//
// A decode step reads every tensor once except the token embeddings, of which it reads one row,
// unless the output projection is tied to them (no output.weight), when it reads them all.
ModelProfile profile_model(const gguf::GgufFile& file, const std::string& filename);

}  // namespace assistd::bench
