#include "engine/model/llama_model.h"

#include <cmath>

#include "engine/model/ops.h"
#include "engine/tensor/matrix.h"

namespace assistd {

Result<std::unique_ptr<Model>> LlamaModel::create(gguf::GgufFile file, Hyperparams hparams) {
    std::unique_ptr<LlamaModel> model(new LlamaModel(std::move(file), std::move(hparams)));
    // Bound after the move: the weights point into the mapping the model now owns.
    Result<Weights> weights = bind_weights(model->file(), model->hparams());
    if (!weights) return weights.error();
    model->weights_ = std::move(*weights);
    return std::unique_ptr<Model>(std::move(model));
}

std::span<const float> LlamaModel::forward(Sequence& seq, int32_t token, int64_t pos,
                                           ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    get_row(weights_.token_embd, token, seq.x.data());
    for (int64_t il = 0; il < hp.n_layer; ++il) {
        const LayerWeights& layer = weights_.layers[il];
        attention(seq, layer, il, pos, pool);
        feed_forward(seq, layer, pool);
    }
    rms_norm(seq.xb.data(), seq.x.data(), weights_.output_norm.data(), hp.n_embd, hp.rms_norm_eps);
    matvec(weights_.output, seq.xb.data(), seq.logits.data(), pool);
    return seq.logits;
}

void LlamaModel::attention(Sequence& seq, const LayerWeights& layer, int64_t il, int64_t pos,
                           ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    const int64_t head_dim = hp.head_dim();
    const int64_t group = hp.n_head / hp.n_head_kv;  // query heads sharing one key/value head
    const int64_t n_ctx = seq.kv.n_ctx();
    float* k = seq.kv.key(il, pos);
    float* v = seq.kv.value(il, pos);

    rms_norm(seq.xb.data(), seq.x.data(), layer.attn_norm.data(), hp.n_embd, hp.rms_norm_eps);
    matvec(layer.wq, seq.xb.data(), seq.q.data(), pool);
    matvec(layer.wk, seq.xb.data(), k, pool);
    matvec(layer.wv, seq.xb.data(), v, pool);
    rope_normal(seq.q.data(), hp.n_head, head_dim, hp.n_rot, pos, hp.rope_freq_base);
    rope_normal(k, hp.n_head_kv, head_dim, hp.n_rot, pos, hp.rope_freq_base);

    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    pool.parallel_for(hp.n_head, [&](int64_t begin, int64_t end) {
        for (int64_t h = begin; h < end; ++h) {
            const float* q = &seq.q[h * head_dim];
            const int64_t kv_offset = (h / group) * head_dim;
            float* scores = &seq.scores[h * n_ctx];
            for (int64_t t = 0; t <= pos; ++t) {
                const float* kt = seq.kv.key(il, t) + kv_offset;
                float dot = 0.0f;
                for (int64_t i = 0; i < head_dim; ++i) dot += q[i] * kt[i];
                scores[t] = dot * scale;
            }
            softmax(scores, pos + 1);
            float* out = &seq.attn[h * head_dim];
            std::fill(out, out + head_dim, 0.0f);
            for (int64_t t = 0; t <= pos; ++t) {
                const float* vt = seq.kv.value(il, t) + kv_offset;
                for (int64_t i = 0; i < head_dim; ++i) out[i] += scores[t] * vt[i];
            }
        }
    });
    matvec(layer.wo, seq.attn.data(), seq.xb.data(), pool);
    for (int64_t i = 0; i < hp.n_embd; ++i) seq.x[i] += seq.xb[i];
}

void LlamaModel::feed_forward(Sequence& seq, const LayerWeights& layer, ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    rms_norm(seq.xb.data(), seq.x.data(), layer.ffn_norm.data(), hp.n_embd, hp.rms_norm_eps);
    matvec(layer.w_gate, seq.xb.data(), seq.gate.data(), pool);
    matvec(layer.w_up, seq.xb.data(), seq.up.data(), pool);
    swiglu(seq.gate.data(), seq.up.data(), hp.n_ff);
    matvec(layer.w_down, seq.gate.data(), seq.xb.data(), pool);
    for (int64_t i = 0; i < hp.n_embd; ++i) seq.x[i] += seq.xb[i];
}

}  // namespace assistd
