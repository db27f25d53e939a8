#include "engine/model/transformer_model.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/tensor/exp_kernels.h"
#include "engine/tensor/quant.h"

namespace assistd {
namespace {

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
    if (options.activations == ActivationMode::Int8 && !options.compute_from_mapping &&
        !pack_weights_into_panels(model->weights_, model->weights_are_file_mapped())) {
        return Error{"model: out of memory repacking the weights for this CPU's kernels"};
    }
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

void TransformerModel::forward_step(std::span<const SequenceStep> steps, Activations& a,
                                    ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    Batch batch{steps, {0}};
    for (const SequenceStep& step : steps) {
        assert(!step.tokens.empty());
        assert(step.pos + static_cast<int64_t>(step.tokens.size()) <= step.seq->kv.reserved());
        batch.first_row.push_back(batch.first_row.back() +
                                  static_cast<int64_t>(step.tokens.size()));
    }
    const int64_t n = batch.rows();
    assert(n <= kMaxStepTokens);
    a.resize(hp, n);
    for (size_t s = 0; s < steps.size(); ++s) {
        for (size_t i = 0; i < steps[s].tokens.size(); ++i) {
            get_row(weights_.token_embd, steps[s].tokens[i],
                    &a.x[(batch.first_row[s] + static_cast<int64_t>(i)) * hp.n_embd]);
        }
    }
    for (int64_t il = 0; il < hp.n_layer; ++il) {
        const LayerWeights& layer = weights_.layers[il];
        attention(batch, a, layer, il, pool);
        feed_forward(a, layer, n, pool);
    }
    output(batch, a, pool);
}

void TransformerModel::attention(const Batch& batch, Activations& a, const LayerWeights& layer,
                                 int64_t il, ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    const int64_t n = batch.rows();
    rms_norm_rows(a.xb.data(), a.x.data(), layer.attn_norm.data(), n, hp.n_embd, hp.rms_norm_eps);
    const Product qkv[] = {{layer.wq, a.q.data()}, {layer.wk, a.k.data()}, {layer.wv, a.v.data()}};
    matmul_shared_input(qkv, a.xb.data(), n, pool, options().activations);
    if (arch_.qkv_bias) {
        add_bias(a.q.data(), layer.bq, n);
        add_bias(a.k.data(), layer.bk, n);
        add_bias(a.v.data(), layer.bv, n);
    }
    position_and_store(batch, a, layer, il);
    attend(batch, a, il, pool);
    project(layer.wo, a.attn.data(), n, a.xb.data(), pool);
    add_into(a.x, a.xb, n * hp.n_embd);
}

void TransformerModel::position_and_store(const Batch& batch, Activations& a,
                                          const LayerWeights& layer, int64_t il) const {
    const Hyperparams& hp = hparams();
    const int64_t head_dim = hp.head_dim();
    const int64_t kv_len = hp.n_embd_kv();
    for (size_t s = 0; s < batch.steps.size(); ++s) {
        const SequenceStep& step = batch.steps[s];
        for (int64_t row = batch.first_row[s]; row < batch.first_row[s + 1]; ++row) {
            const int64_t pos = step.pos + (row - batch.first_row[s]);
            float* qi = &a.q[row * hp.n_embd_q()];
            float* ki = &a.k[row * kv_len];
            if (arch_.qk_norm) {
                rms_norm_rows(qi, qi, layer.q_norm.data(), hp.n_head, head_dim, hp.rms_norm_eps);
                rms_norm_rows(ki, ki, layer.k_norm.data(), hp.n_head_kv, head_dim, hp.rms_norm_eps);
            }
            rope(qi, hp.n_head, head_dim, pos, rope_);
            rope(ki, hp.n_head_kv, head_dim, pos, rope_);
            KvCache& kv = step.seq->kv;
            std::copy(ki, ki + kv_len, kv.key(il, pos));
            std::copy(&a.v[row * kv_len], &a.v[(row + 1) * kv_len], kv.value(il, pos));
        }
    }
}

void TransformerModel::attend(const Batch& batch, Activations& a, int64_t il,
                              ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    const int64_t head_dim = hp.head_dim();
    const int64_t group = hp.n_head / hp.n_head_kv;  // query heads sharing one key/value head
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    const int64_t kv_len = hp.n_embd_kv();  // floats from one position's keys to the next's
    // SIMD kernels: a plain loop's sum is one dependent chain the compiler may not reorder.
    static const AttentionKernels kernels = attention_kernels();
    // Tasks of (step, key/value head, up to kRowsPerTask rows): the query heads that share a
    // key/value head take each KV block in turn while it is in L1, and a long prompt's rows
    // spread over the threads. Every head of every row still runs the same operations in the
    // same order as it does alone, so batching changes no number.
    constexpr int64_t kRowsPerTask = 16;
    struct Task {
        int64_t step, kv_head, row_begin, row_end;
    };
    thread_local std::vector<Task> tasks;
    tasks.clear();
    for (size_t s = 0; s < batch.steps.size(); ++s) {
        for (int64_t kv_head = 0; kv_head < hp.n_head_kv; ++kv_head) {
            for (int64_t row = batch.first_row[s]; row < batch.first_row[s + 1];
                 row += kRowsPerTask) {
                tasks.push_back({static_cast<int64_t>(s), kv_head, row,
                                 std::min(row + kRowsPerTask, batch.first_row[s + 1])});
            }
        }
    }
    // The caller's list: a worker thread's own thread_local one is empty.
    const std::span<const Task> all(tasks);
    pool.parallel_for_dynamic(static_cast<int64_t>(all.size()), 1, [&](int64_t begin, int64_t end) {
        for (const Task& task : all.subspan(begin, end - begin)) {
            const SequenceStep& step = batch.steps[task.step];
            KvCache& kv = step.seq->kv;
            const int64_t kv_offset = task.kv_head * head_dim;
            // The task's rows take each KV block in turn: its keys and values are read from L2 once
            // for all of them and all their heads. Scores: (rows, group, positions).
            const int64_t rows = task.row_end - task.row_begin;
            const auto last_of = [&](int64_t row) {  // row attends to 0..last
                return step.pos + (row - batch.first_row[task.step]);
            };
            const int64_t positions = last_of(task.row_end - 1) + 1;
            thread_local std::vector<float> all_scores;
            all_scores.resize(static_cast<size_t>(rows * group * positions));
            const auto scores = [&](int64_t row, int64_t g) {
                return &all_scores[((row - task.row_begin) * group + g) * positions];
            };
            const auto head_at = [&](std::vector<float>& rows_of, int64_t row, int64_t g) {
                return &rows_of[row * hp.n_embd_q() + (task.kv_head * group + g) * head_dim];
            };
            // A KV block's positions lie kv_len floats apart: one kernel call per block.
            for (int64_t t = 0; t < positions; t += kKvBlockTokens) {
                for (int64_t row = task.row_begin; row < task.row_end; ++row) {
                    const int64_t count = std::min<int64_t>(kKvBlockTokens, last_of(row) + 1 - t);
                    for (int64_t g = 0; g < group && count > 0; ++g) {
                        kernels.row_dots(kv.key(il, t) + kv_offset, kv_len, head_at(a.q, row, g),
                                         head_dim, count, scores(row, g) + t);
                    }
                }
            }
            for (int64_t row = task.row_begin; row < task.row_end; ++row) {
                for (int64_t g = 0; g < group; ++g) {
                    scaled_softmax(scores(row, g), last_of(row) + 1, scale);
                    std::fill_n(head_at(a.attn, row, g), head_dim, 0.0f);
                }
            }
            for (int64_t t = 0; t < positions; t += kKvBlockTokens) {
                for (int64_t row = task.row_begin; row < task.row_end; ++row) {
                    const int64_t count = std::min<int64_t>(kKvBlockTokens, last_of(row) + 1 - t);
                    for (int64_t g = 0; g < group && count > 0; ++g) {
                        kernels.weighted_rows(kv.value(il, t) + kv_offset, kv_len,
                                              scores(row, g) + t, count, head_at(a.attn, row, g),
                                              head_dim);
                    }
                }
            }
        }
    });
}

void TransformerModel::feed_forward(Activations& a, const LayerWeights& layer, int64_t n,
                                    ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    rms_norm_rows(a.xb.data(), a.x.data(), layer.ffn_norm.data(), n, hp.n_embd, hp.rms_norm_eps);
    const Product gate_up[] = {{layer.w_gate, a.gate.data()}, {layer.w_up, a.up.data()}};
    matmul_shared_input(gate_up, a.xb.data(), n, pool, options().activations);
    swiglu(a.gate.data(), a.up.data(), n * hp.n_ff);
    project(layer.w_down, a.gate.data(), n, a.xb.data(), pool);
    add_into(a.x, a.xb, n * hp.n_embd);
}

void TransformerModel::output(const Batch& batch, Activations& a, ThreadPool& pool) const {
    const Hyperparams& hp = hparams();
    // Only the next-token distribution after each wanting step's last row is computed.
    std::vector<Sequence*> wanting;
    for (size_t s = 0; s < batch.steps.size(); ++s) {
        if (!batch.steps[s].logits) continue;
        const float* last = &a.x[(batch.first_row[s + 1] - 1) * hp.n_embd];
        rms_norm(&a.xb[static_cast<int64_t>(wanting.size()) * hp.n_embd], last,
                 weights_.output_norm.data(), hp.n_embd, hp.rms_norm_eps);
        wanting.push_back(batch.steps[s].seq);
    }
    if (wanting.empty()) return;
    const auto m = static_cast<int64_t>(wanting.size());
    a.out.resize(static_cast<size_t>(m * hp.n_vocab));
    project(weights_.output, a.xb.data(), m, a.out.data(), pool);
    for (int64_t i = 0; i < m; ++i) {
        std::copy(&a.out[i * hp.n_vocab], &a.out[(i + 1) * hp.n_vocab], wanting[i]->logits.begin());
    }
}

}  // namespace assistd
