// Model: a loaded GGUF language model and its forward pass, one architecture per subclass.
//
//   auto model = load_model("stories260K.gguf");
//   Sequence seq = (*model)->new_sequence(0);
//   ThreadPool pool(2);
//   std::span<const float> logits = (*model)->forward(seq, token, pos, pool);
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
#include "engine/tensor/thread_pool.h"

namespace assistd {

// The state of one sequence being decoded: its KV cache and the activations of the step in flight.
struct Sequence {
    Sequence(const Hyperparams& hp, int64_t n_ctx);

    KvCache kv;
    std::vector<float> x;       // (n_embd) residual stream
    std::vector<float> xb;      // (n_embd) normalized input of a block
    std::vector<float> q;       // (n_head * head_dim)
    std::vector<float> attn;    // (n_head * head_dim) attention output
    std::vector<float> scores;  // (n_head, n_ctx) attention weights
    std::vector<float> gate;    // (n_ff)
    std::vector<float> up;      // (n_ff)
    std::vector<float> logits;  // (n_vocab)
};

class Model {
  public:
    virtual ~Model() = default;

    const Hyperparams& hparams() const { return hparams_; }
    const gguf::GgufFile& file() const { return file_; }

    // A fresh sequence holding up to n_ctx positions; 0 means min(context_length, 4096).
    Sequence new_sequence(int64_t n_ctx) const;

    // Runs `token` at position `pos` (0 <= pos < the sequence's n_ctx, every earlier position
    // already run) and returns the logits of the next token, valid until the next call.
    virtual std::span<const float> forward(Sequence& seq, int32_t token, int64_t pos,
                                           ThreadPool& pool) const = 0;

  protected:
    Model(gguf::GgufFile file, Hyperparams hparams)
        : file_(std::move(file)), hparams_(std::move(hparams)) {}

  private:
    gguf::GgufFile file_;  // owns the mapping that the weights point into
    Hyperparams hparams_;
};

// Opens a GGUF file and binds it to the architecture its metadata names.
Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path);

}  // namespace assistd
