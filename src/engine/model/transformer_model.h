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

    void forward_step(std::span<const SequenceStep> steps, Activations& act,
                      ThreadPool& pool) const override;

  private:
    TransformerModel(const Architecture& arch, gguf::GgufFile file, Hyperparams hparams,
                     ModelOptions options, std::vector<uint8_t> owned_bytes)
        : Model(std::move(file), std::move(hparams), options, std::move(owned_bytes)),
          arch_(arch) {}

    // Where each step's rows start in the batch, and the batch's size.
    struct Batch {
        std::span<const SequenceStep> steps;
        std::vector<int64_t> first_row;  // (steps + 1): step i owns rows first_row[i]..[i+1]-1
        int64_t rows() const { return first_row.back(); }
    };

    void attention(const Batch& batch, Activations& a, const LayerWeights& layer, int64_t il,
                   ThreadPool& pool) const;
    // Q, K of every row: per-head norm (qk_norm) and rotation to the row's position; then K and
    // V rows go to their sequence's cache.
    void position_and_store(const Batch& batch, Activations& a, const LayerWeights& layer,
                            int64_t il) const;
    // a.attn = softmax(Q K^T / sqrt(head_dim)) V over each row's causal prefix in its sequence.
    void attend(const Batch& batch, Activations& a, int64_t il, ThreadPool& pool) const;
    void feed_forward(Activations& a, const LayerWeights& layer, int64_t n, ThreadPool& pool) const;
    // The logits of the steps that want them, into their sequences.
    void output(const Batch& batch, Activations& a, ThreadPool& pool) const;
    void project(const Matrix& w, const float* x, int64_t n, float* y, ThreadPool& pool) const {
        matmul(w, x, n, y, pool, options().activations);
    }

    const Architecture& arch_;
    Weights weights_;
    Rope rope_{};
};

}  // namespace assistd
