// Quantization of a whole model: which type each tensor gets under a scheme, and the conversion.
//
// Mirrors llama-quantize: 1-D tensors (norms, biases, rope_freqs) stay F32; in the quantized
// schemes the output projection (or a tied token_embd) gets Q6_K; Q4_K_M (Q5_K_M) gives attn_v
// and ffn_down of the first and last eighths of the layers, and every third layer between, Q6_K
// and the rest Q4_K (Q5_K); rows whose length does not fit a format's block fall back as
// llama.cpp's do (Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0, then F16).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/tensor/dtype.h"
#include "engine/tensor/thread_pool.h"

namespace assistd {

enum class QuantScheme { F32, F16, Q8_0, Q4_0, Q4_K_M, Q5_K_M };

// "F32", "F16", "Q8_0", "Q4_0", "Q4_K_M", "Q5_K_M" (any case); nullopt for another name.
std::optional<QuantScheme> parse_quant_scheme(std::string_view name);
std::string_view quant_scheme_names();  // "F32, F16, Q8_0, Q4_0, Q4_K_M, Q5_K_M"
// general.file_type of a file in the scheme, as llama.cpp numbers it (LLAMA_FTYPE_*).
uint32_t quant_scheme_file_type(QuantScheme scheme);

// What the type choice needs to know about a tensor and its model.
struct TensorSlot {
    std::string_view name;  // "blk.3.attn_v.weight"
    int n_dims;
    int64_t row_length;  // ne[0]
    int64_t n_layer;     // block_count of the model
    bool has_output;     // the model has output.weight (else token_embd doubles as it)
};

DType tensor_type(QuantScheme scheme, const TensorSlot& slot);

// Encodes `rows` rows of `row_length` floats as `type`, rows split across the pool.
std::vector<uint8_t> encode_rows(DType type, const float* values, int64_t rows, int64_t row_length,
                                 ThreadPool& pool);

// Writes every tensor of `in` into `out` in the scheme's types, and copies all metadata with
// general.file_type updated. An Error when a tensor's type cannot be decoded.
Result<void> quantize_model(const gguf::GgufFile& in, QuantScheme scheme, gguf::GgufWriter& out,
                            ThreadPool& pool);

}  // namespace assistd
