// TransformerModel: the decoder-only transformer forward pass that every supported family shares
// (RMSNorm, RoPE, grouped-query causal attention, SwiGLU feed-forward), with the family's
// differences (architecture.h) switched on where its tensors say so.
#pragma once

#include "engine/model/architecture.h"
#include "engine/model/model.h"
#include "engine/model/ops.h"
#include "engine/model/weights.h"

namespace assistd {

class TransformerModel final : public Model {
  public:
    static Result<std::unique_ptr<Model>> create(const Architecture& arch, gguf::GgufFile file,
                                                 Hyperparams hparams, ModelOptions options,
                                                 std::vector<uint8_t> owned_bytes);

    std::span<const float> forward_batch(Sequence& seq, std::span<const int32_t> tokens,
                                         int64_t pos, ThreadPool& pool) const override;

  private:
    TransformerModel(const Architecture& arch, gguf::GgufFile file, Hyperparams hparams,
                     ModelOptions options, std::vector<uint8_t> owned_bytes)
        : Model(std::move(file), std::move(hparams), options, std::move(owned_bytes)),
          arch_(arch) {}

    // Runs the layers over tokens at pos.., leaving their residual streams in seq.act.x.
    void run_layers(Sequence& seq, std::span<const int32_t> tokens, int64_t pos,
                    ThreadPool& pool) const;
    void attention(Sequence& seq, const LayerWeights& layer, int64_t il, int64_t pos, int64_t n,
                   ThreadPool& pool) const;
    // Q, K: per-head norm (qk_norm) and rotation to their positions, for n tokens from pos.
    void position_queries_and_keys(Sequence& seq, const LayerWeights& layer, float* k, int64_t pos,
                                   int64_t n) const;
    // seq.act.attn = softmax(Q K^T / sqrt(head_dim)) V over each token's causal prefix.
    void attend(Sequence& seq, int64_t il, int64_t pos, int64_t n, ThreadPool& pool) const;
    void feed_forward(Sequence& seq, const LayerWeights& layer, int64_t n, ThreadPool& pool) const;
    void project(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool) const {
        matmul(w, x, n, y, pool, options().activations);
    }

    const Architecture& arch_;
    Weights weights_;
    Rope rope_{};
};

}  // namespace assistd
