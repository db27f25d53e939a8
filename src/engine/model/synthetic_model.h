// Synthetic models: GGUF files of real dimensions filled with random weights (as vLLM's dummy
// weights are), so that speed can be measured on full-size shapes and the engine tested end to
// end without downloading a model.
//
//   ThreadPool pool(2);
//   SyntheticSpec spec{.architecture = "qwen2", .preset = "0.5b", .scheme = QuantScheme::Q4_0};
//   auto writer = synthesize_model(spec, pool);
//   if (writer) writer->write_file("qwen2-0.5b-q4_0.gguf");
//
//   auto model = builtin_tiny_model();  // in memory, never touches disk
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/model/model.h"
#include "engine/model/quantization.h"
#include "engine/tensor/thread_pool.h"

namespace assistd {

struct SyntheticPreset {
    std::string_view name;
    int64_t n_embd, n_layer, n_head, n_head_kv, n_ff, n_ctx;
};

// "tiny" (256 wide, 2 layers: tests and the server's built-in model), "0.5b" (Qwen2.5-0.5B's
// shape), "1.1b" (TinyLlama-1.1B's shape); nullptr for another name.
const SyntheticPreset* find_synthetic_preset(std::string_view name);
std::string_view synthetic_preset_names();  // "tiny, 0.5b, 1.1b"

struct SyntheticSpec {
    std::string architecture = "llama";  // llama, qwen2 or qwen3
    std::string preset = "tiny";
    QuantScheme scheme = QuantScheme::F32;
    std::filesystem::path vocab;  // a GGUF whose tokenizer.* keys are copied; empty: byte vocab
    std::string chat_template;    // Jinja source replacing the vocabulary's; empty: keep it
    uint64_t seed = 1;
};

// The whole model in a writer, ready for write_file or to_bytes. Weights are uniform in
// +-1/sqrt(fan_in), norms 1, so activations keep their scale through the layers and greedy output
// is a deterministic function of the seed. An Error for an unknown architecture, preset or a
// vocabulary file that cannot be read.
Result<gguf::GgufWriter> synthesize_model(const SyntheticSpec& spec, ThreadPool& pool);

// The "tiny" llama with the byte vocabulary, built and loaded in memory (about 3 MB, a few
// milliseconds): a model the server can run with no file at all.
Result<std::unique_ptr<Model>> builtin_tiny_model(ModelOptions options = {});

}  // namespace assistd
