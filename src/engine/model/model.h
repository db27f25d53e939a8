// Model: a loaded GGUF language model and its forward pass.
//
//   auto model = load_model("stories260K.gguf");            // ModelOptions{} : Int8 activations
//   Sequence seq = (*model)->new_sequence(0);
//   ThreadPool pool(2);
//   std::span<const float> logits = (*model)->forward_batch(seq, prompt, 0, pool);
//   logits = (*model)->forward(seq, next_token, prompt.size(), pool);
//
// Many sequences advance together with forward_step(): their tokens run through the layers as
// one batch, so the weights are read once for all of them (continuous batching).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "common/result.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/hyperparams.h"
#include "engine/model/kv_cache.h"
#include "engine/tensor/matrix.h"
#include "engine/tensor/thread_pool.h"

namespace assistd {

struct ModelOptions {
    // Int8 quantizes activations to 8 bits for quantized weights, as llama.cpp does (faster);
    // Float keeps the exact float path that the golden tests compare with a float reference.
    ActivationMode activations = ActivationMode::Int8;
    // false: Q4_0 and Q8_0 matrices are repacked into anonymous memory in the layout of this
    // CPU's panel kernels (engine/tensor/panel_format.h), which then compute every Int8 product
    // with them. true (`model.mmap`): every matrix is computed from the file mapping, whose pages
    // all processes mapping the file share.
    bool compute_from_mapping = false;
};

// The activations of a batch of n tokens in flight, each buffer n rows one after another.
struct Activations {
    void resize(const Hyperparams& hp, int64_t n);

    int64_t n = 0;
    std::vector<float> x;     // (n, n_embd) residual stream
    std::vector<float> xb;    // (n, n_embd) normalized input of a block, then its output
    std::vector<float> q;     // (n, n_head * head_dim)
    std::vector<float> k;     // (n, n_head_kv * head_dim), before they go to each KV cache
    std::vector<float> v;     // (n, n_head_kv * head_dim)
    std::vector<float> attn;  // (n, n_head * head_dim) attention output
    std::vector<float> gate;  // (n, n_ff)
    std::vector<float> up;    // (n, n_ff)
    std::vector<float> out;   // (sequences wanting logits, n_vocab)
};

// The state of one sequence being decoded: its KV cache, and its activations when it runs alone.
struct Sequence {
    Sequence(const Hyperparams& hp, KvCache kv);

    KvCache kv;
    Activations act;            // forward_batch's, grown to the largest batch run so far
    std::vector<float> logits;  // (n_vocab) after its last token run with logits wanted
};

// One sequence's part of a forward_step: `tokens` at positions pos.. (reserved in its KV cache,
// every earlier position already run).
struct SequenceStep {
    Sequence* seq;
    std::span<const int32_t> tokens;
    int64_t pos;
    bool logits;  // compute seq->logits, the distribution after the last of `tokens`
};

// Tokens run through the layers together at most: enough to read each weight tile once for many
// tokens, few enough that the batch's activations ((n, n_ff) floats) stay small.
inline constexpr int64_t kMaxStepTokens = 256;

class Model {
  public:
    virtual ~Model() = default;

    const Hyperparams& hparams() const { return hparams_; }
    const gguf::GgufFile& file() const { return file_; }
    const ModelOptions& options() const { return options_; }

    // The positions a sequence asked for with n_ctx holds; 0 means min(context_length, 4096).
    int64_t context_size(int64_t n_ctx) const;
    // A fresh sequence holding context_size(n_ctx) positions, with a KV pool of its own.
    Sequence new_sequence(int64_t n_ctx) const;
    // A fresh sequence of n_ctx positions whose KV blocks come from a shared pool.
    Sequence new_sequence(std::shared_ptr<KvBlockPool> pool, int64_t n_ctx) const;

    // Runs `tokens` at positions pos .. pos + tokens.size() - 1 (all below the sequence's n_ctx,
    // every earlier position already run) and returns the logits that follow the last of them,
    // valid until the next call. The weights are read once per batch (matrix x matrix), so a
    // prompt runs far faster this way than token by token, with the same result.
    std::span<const float> forward_batch(Sequence& seq, std::span<const int32_t> tokens,
                                         int64_t pos, ThreadPool& pool) const;

    // Runs every step's tokens as one batch (at most kMaxStepTokens in all), using `act` for the
    // activations. Each sequence's result equals what it would get running alone.
    virtual void forward_step(std::span<const SequenceStep> steps, Activations& act,
                              ThreadPool& pool) const = 0;

    // forward_batch of one token: the decode step.
    std::span<const float> forward(Sequence& seq, int32_t token, int64_t pos,
                                   ThreadPool& pool) const {
        return forward_batch(seq, std::span<const int32_t>(&token, 1), pos, pool);
    }

  protected:
    Model(gguf::GgufFile file, Hyperparams hparams, ModelOptions options,
          std::vector<uint8_t> owned_bytes)
        : owned_bytes_(std::move(owned_bytes)),
          file_(std::move(file)),
          hparams_(std::move(hparams)),
          options_(options) {}

    // True when the weights are a mapping of the file rather than bytes built in memory.
    bool weights_are_file_mapped() const { return owned_bytes_.empty(); }

  private:
    std::vector<uint8_t> owned_bytes_;  // the file's bytes when it was built in memory
    gguf::GgufFile file_;               // owns the mapping that the weights point into
    Hyperparams hparams_;
    ModelOptions options_;
};

// Opens a GGUF file and binds it to the architecture its metadata names.
Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path,
                                          ModelOptions options = {});

// The same from a GGUF file's bytes in memory (a synthetic model, a test); the model keeps them.
Result<std::unique_ptr<Model>> load_model(std::vector<uint8_t> bytes, ModelOptions options = {});

}  // namespace assistd
