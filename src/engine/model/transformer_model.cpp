#include "engine/model/transformer_model.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace assistd {
namespace {

// Tokens run through the layers together: enough to read each weight tile once for many tokens,
// few enough that the batch's activations ((n, n_ff) floats) stay small.
constexpr size_t kMaxBatch = 256;

// Each of the n rows of `rows` (row_len values apart) normalized into `out`.
void rms_norm_rows(float* out, const float* rows, const float* weight, int64_t n, int64_t row_len,
                   float eps) {
    for (int64_t i = 0; i < n; ++i) {
        rms_norm(out + i * row_len, rows + i * row_len, weight, row_len, eps);
    }
}

// rows[i] += bias for each of n rows of bias.size() values.
void add_bias(float* rows, const std::vector<float>& bias, int64_t n) {
    const int64_t len = static_cast<int64_t>(bias.size());
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < len; ++j) rows[i * len + j] += bias[j];
    }
}

void add_into(std::vector<float>& x, const std::vector<float>& delta, int64_t count) {
    for (int64_t i = 0; i < count; ++i) x[i] += delta[i];
}

}  // namespace

Result<std::unique_ptr<Model>> TransformerModel::create(const Architecture& arch,
                                                        gguf::GgufFile file, Hyperparams hparams,
                                                        ModelOptions options,
                                                        std::vector<uint8_t> owned_bytes) {
    std::unique_ptr<TransformerModel> model(new TransformerModel(
        arch, std::move(file), std::move(hparams), options, std::move(owned_bytes)));
    // Bound after the move: the weights point into the mapping the model now owns.
    Result<Weights> weights = bind_weights(model->file(), model->hparams(), arch);
    if (!weights) return weights.error();
    model->weights_ = std::move(*weights);
    const Hyperparams& hp = model->hparams();
    model->rope_ =
        Rope{.n_rot = hp.n_rot,
             .freq_base = hp.rope_freq_base,
             .freq_scale = hp.rope_freq_scale,
             .freq_factors =
                 model->weights_.rope_freqs.empty() ? nullptr : model->weights_.rope_freqs.data(),
             .neox = arch.rope == RopeLayout::Neox};
    return std::unique_ptr<Model>(std::move(model));
}

std::span<const float> TransformerModel::forward_batch(Sequence& seq,
                                                       std::span<const int32_t> tokens, int64_t pos,
                                                       ThreadPool& pool) const {
    assert(!tokens.empty());
    const Hyperparams& hp = hparams();
    size_t last_batch = 0;
    for (size_t begin = 0; begin < tokens.size(); begin += kMaxBatch) {
        const std::span<const int32_t> batch =
            tokens.subspan(begin, std::min(kMaxBatch, tokens.size() - begin));
        run_layers(seq, batch, pos + static_cast<int64_t>(begin), pool);
        last_batch = batch.size();
    }
    // Only the last token's next-token distribution is wanted.
    const float* last = &seq.act.x[(last_batch - 1) * hp.n_embd];
    rms_norm(seq.act.xb.data(), last, weights_.output_norm.data(), hp.n_embd, hp.rms_norm_eps);
    project(weights_.output, seq.act.xb.data(), 1, seq.logits.data(), pool);
    return seq.logits;
}

void TransformerModel::run_layers(Sequence& seq, std::span<const int32_t> tokens, int64_t pos,
                                  ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    const int64_t n = static_cast<int64_t>(tokens.size());
    seq.act.resize(hp, n);
    for (int64_t i = 0; i < n; ++i)
        get_row(weights_.token_embd, tokens[i], &seq.act.x[i * hp.n_embd]);
    for (int64_t il = 0; il < hp.n_layer; ++il) {
        const LayerWeights& layer = weights_.layers[il];
        attention(seq, layer, il, pos, n, pool);
        feed_forward(seq, layer, n, pool);
    }
}

void TransformerModel::attention(Sequence& seq, const LayerWeights& layer, int64_t il, int64_t pos,
                                 int64_t n, ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    Activations& a = seq.act;
    // The keys and values of positions pos.. are consecutive rows of the cache: written in place.
    float* k = seq.kv.key(il, pos);
    float* v = seq.kv.value(il, pos);

    rms_norm_rows(a.xb.data(), a.x.data(), layer.attn_norm.data(), n, hp.n_embd, hp.rms_norm_eps);
    project(layer.wq, a.xb.data(), n, a.q.data(), pool);
    project(layer.wk, a.xb.data(), n, k, pool);
    project(layer.wv, a.xb.data(), n, v, pool);
    if (arch_.qkv_bias) {
        add_bias(a.q.data(), layer.bq, n);
        add_bias(k, layer.bk, n);
        add_bias(v, layer.bv, n);
    }
    position_queries_and_keys(seq, layer, k, pos, n);
    attend(seq, il, pos, n, pool);
    project(layer.wo, a.attn.data(), n, a.xb.data(), pool);
    add_into(a.x, a.xb, n * hp.n_embd);
}

void TransformerModel::position_queries_and_keys(Sequence& seq, const LayerWeights& layer, float* k,
                                                 int64_t pos, int64_t n) const {
    const Hyperparams& hp = hparams();
    const int64_t head_dim = hp.head_dim();
    for (int64_t i = 0; i < n; ++i) {
        float* qi = &seq.act.q[i * hp.n_embd_q()];
        float* ki = k + i * hp.n_embd_kv();
        if (arch_.qk_norm) {
            rms_norm_rows(qi, qi, layer.q_norm.data(), hp.n_head, head_dim, hp.rms_norm_eps);
            rms_norm_rows(ki, ki, layer.k_norm.data(), hp.n_head_kv, head_dim, hp.rms_norm_eps);
        }
        rope(qi, hp.n_head, head_dim, pos + i, rope_);
        rope(ki, hp.n_head_kv, head_dim, pos + i, rope_);
    }
}

void TransformerModel::attend(Sequence& seq, int64_t il, int64_t pos, int64_t n,
                              ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    const int64_t head_dim = hp.head_dim();
    const int64_t group = hp.n_head / hp.n_head_kv;  // query heads sharing one key/value head
    const int64_t n_ctx = seq.kv.n_ctx();
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    pool.parallel_for(hp.n_head, [&](int64_t begin, int64_t end) {
        for (int64_t h = begin; h < end; ++h) {
            const int64_t kv_offset = (h / group) * head_dim;
            float* scores = &seq.scores[h * n_ctx];
            for (int64_t i = 0; i < n; ++i) {
                const int64_t last = pos + i;  // the token attends to positions 0..last
                const float* q = &seq.act.q[i * hp.n_embd_q() + h * head_dim];
                for (int64_t t = 0; t <= last; ++t) {
                    const float* kt = seq.kv.key(il, t) + kv_offset;
                    float dot = 0.0f;
                    for (int64_t d = 0; d < head_dim; ++d) dot += q[d] * kt[d];
                    scores[t] = dot * scale;
                }
                softmax(scores, last + 1);
                float* out = &seq.act.attn[i * hp.n_embd_q() + h * head_dim];
                std::fill(out, out + head_dim, 0.0f);
                for (int64_t t = 0; t <= last; ++t) {
                    const float* vt = seq.kv.value(il, t) + kv_offset;
                    for (int64_t d = 0; d < head_dim; ++d) out[d] += scores[t] * vt[d];
                }
            }
        }
    });
}

void TransformerModel::feed_forward(Sequence& seq, const LayerWeights& layer, int64_t n,
                                    ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    Activations& a = seq.act;
    rms_norm_rows(a.xb.data(), a.x.data(), layer.ffn_norm.data(), n, hp.n_embd, hp.rms_norm_eps);
    project(layer.w_gate, a.xb.data(), n, a.gate.data(), pool);
    project(layer.w_up, a.xb.data(), n, a.up.data(), pool);
    swiglu(a.gate.data(), a.up.data(), n * hp.n_ff);
    project(layer.w_down, a.gate.data(), n, a.xb.data(), pool);
    add_into(a.x, a.xb, n * hp.n_embd);
}

}  // namespace assistd
