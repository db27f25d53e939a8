// The llama architecture: RMSNorm, RoPE, grouped-query attention and a SwiGLU feed-forward block.
#pragma once

#include "engine/model/model.h"
#include "engine/model/weights.h"

namespace assistd {

class LlamaModel final : public Model {
  public:
    static Result<std::unique_ptr<Model>> create(gguf::GgufFile file, Hyperparams hparams);

    std::span<const float> forward(Sequence& seq, int32_t token, int64_t pos,
                                   ThreadPool& pool) const override;

  private:
    LlamaModel(gguf::GgufFile file, Hyperparams hparams) : Model(std::move(file), hparams) {}

    void attention(Sequence& seq, const LayerWeights& layer, int64_t il, int64_t pos,
                   ThreadPool& pool) const;
    void feed_forward(Sequence& seq, const LayerWeights& layer, ThreadPool& pool) const;

    Weights weights_;
};

}  // namespace assistd
