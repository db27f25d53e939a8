#include "engine/model/weights.h"

#include <string>

#include "engine/tensor/quant.h"

namespace assistd {
namespace {

std::string shape_string(const gguf::TensorInfo& t) {
    std::string s = "[";
    for (int i = 0; i < t.n_dims; ++i) s += (i ? ", " : "") + std::to_string(t.ne[i]);
    return s + "]";
}

Result<const gguf::TensorInfo*> find_checked(const gguf::GgufFile& file, const std::string& name,
                                             int64_t ne0, int64_t ne1) {
    const gguf::TensorInfo* t = file.find_tensor(name);
    if (t == nullptr) return Error{"model: missing tensor '" + name + "'"};
    if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1) {
        return Error{"model: tensor '" + name + "' has shape " + shape_string(*t) + ", expected [" +
                     std::to_string(ne0) + (ne1 == 1 ? "" : ", " + std::to_string(ne1)) + "]"};
    }
    if (!can_compute(t->type)) {
        return Error{"model: tensor '" + name + "' has type " +
                     std::string(traits_of(t->type).name) + ", which this engine cannot compute"};
    }
    return t;
}

Result<Matrix> matrix(const gguf::GgufFile& file, const std::string& name, int64_t cols,
                      int64_t rows) {
    Result<const gguf::TensorInfo*> t = find_checked(file, name, cols, rows);
    if (!t) return t.error();
    return Matrix{(*t)->type, cols, rows, (*t)->data};
}

Result<std::vector<float>> vector(const gguf::GgufFile& file, const std::string& name, int64_t n) {
    Result<const gguf::TensorInfo*> t = find_checked(file, name, n, 1);
    if (!t) return t.error();
    std::vector<float> values(n);
    dequantize_row((*t)->type, (*t)->data, values.data(), n);
    return values;
}

Result<LayerWeights> bind_layer(const gguf::GgufFile& file, const Hyperparams& hp, int64_t il) {
    const std::string p = "blk." + std::to_string(il) + ".";
    const int64_t n_q = hp.n_head * hp.head_dim();
    LayerWeights l;
    struct MatrixSlot {
        Matrix* slot;
        const char* name;
        int64_t cols, rows;
    };
    const MatrixSlot matrices[] = {
        {&l.wq, "attn_q.weight", hp.n_embd, n_q},
        {&l.wk, "attn_k.weight", hp.n_embd, hp.n_embd_kv()},
        {&l.wv, "attn_v.weight", hp.n_embd, hp.n_embd_kv()},
        {&l.wo, "attn_output.weight", n_q, hp.n_embd},
        {&l.w_gate, "ffn_gate.weight", hp.n_embd, hp.n_ff},
        {&l.w_up, "ffn_up.weight", hp.n_embd, hp.n_ff},
        {&l.w_down, "ffn_down.weight", hp.n_ff, hp.n_embd},
    };
    for (const MatrixSlot& m : matrices) {
        Result<Matrix> bound = matrix(file, p + m.name, m.cols, m.rows);
        if (!bound) return bound.error();
        *m.slot = *bound;
    }
    Result<std::vector<float>> attn_norm = vector(file, p + "attn_norm.weight", hp.n_embd);
    if (!attn_norm) return attn_norm.error();
    l.attn_norm = std::move(*attn_norm);
    Result<std::vector<float>> ffn_norm = vector(file, p + "ffn_norm.weight", hp.n_embd);
    if (!ffn_norm) return ffn_norm.error();
    l.ffn_norm = std::move(*ffn_norm);
    return l;
}

}  // namespace

Result<Weights> bind_weights(const gguf::GgufFile& file, const Hyperparams& hp) {
    Weights w;
    Result<Matrix> embd = matrix(file, "token_embd.weight", hp.n_embd, hp.n_vocab);
    if (!embd) return embd.error();
    w.token_embd = *embd;
    for (int64_t il = 0; il < hp.n_layer; ++il) {
        Result<LayerWeights> layer = bind_layer(file, hp, il);
        if (!layer) return layer.error();
        w.layers.push_back(std::move(*layer));
    }
    Result<std::vector<float>> norm = vector(file, "output_norm.weight", hp.n_embd);
    if (!norm) return norm.error();
    w.output_norm = std::move(*norm);
    if (file.find_tensor("output.weight") == nullptr) {
        w.output = w.token_embd;  // tied embeddings: the output projection reuses token_embd
    } else {
        Result<Matrix> output = matrix(file, "output.weight", hp.n_embd, hp.n_vocab);
        if (!output) return output.error();
        w.output = *output;
    }
    return w;
}

}  // namespace assistd
