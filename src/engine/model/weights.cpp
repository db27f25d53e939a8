#include "engine/model/weights.h"

#include <sys/mman.h>
#include <unistd.h>

#include <span>
#include <string>

#include "engine/tensor/panel_kernels.h"
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

// Binds the 1-D tensors named in `slots` into their vectors.
struct VectorSlot {
    std::vector<float>* slot;
    std::string name;
    int64_t n;
};
Result<void> bind_vectors(const gguf::GgufFile& file, std::span<const VectorSlot> slots) {
    for (const VectorSlot& v : slots) {
        Result<std::vector<float>> bound = vector(file, v.name, v.n);
        if (!bound) return bound.error();
        *v.slot = std::move(*bound);
    }
    return {};
}

Result<LayerWeights> bind_layer(const gguf::GgufFile& file, const Hyperparams& hp,
                                const Architecture& arch, int64_t il) {
    const std::string p = "blk." + std::to_string(il) + ".";
    const int64_t n_q = hp.n_embd_q();
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
    std::vector<VectorSlot> vectors = {{&l.attn_norm, p + "attn_norm.weight", hp.n_embd},
                                       {&l.ffn_norm, p + "ffn_norm.weight", hp.n_embd}};
    if (arch.qkv_bias) {
        vectors.push_back({&l.bq, p + "attn_q.bias", n_q});
        vectors.push_back({&l.bk, p + "attn_k.bias", hp.n_embd_kv()});
        vectors.push_back({&l.bv, p + "attn_v.bias", hp.n_embd_kv()});
    }
    if (arch.qk_norm) {
        vectors.push_back({&l.q_norm, p + "attn_q_norm.weight", hp.head_dim()});
        vectors.push_back({&l.k_norm, p + "attn_k_norm.weight", hp.head_dim()});
    }
    Result<void> bound = bind_vectors(file, vectors);
    if (!bound) return bound.error();
    return l;
}

}  // namespace

Result<Weights> bind_weights(const gguf::GgufFile& file, const Hyperparams& hp,
                             const Architecture& arch) {
    Weights w;
    Result<Matrix> embd = matrix(file, "token_embd.weight", hp.n_embd, hp.n_vocab);
    if (!embd) return embd.error();
    w.token_embd = *embd;
    for (int64_t il = 0; il < hp.n_layer; ++il) {
        Result<LayerWeights> layer = bind_layer(file, hp, arch, il);
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
    if (file.find_tensor("rope_freqs.weight") != nullptr) {
        Result<std::vector<float>> freqs = vector(file, "rope_freqs.weight", hp.n_rot / 2);
        if (!freqs) return freqs.error();
        w.rope_freqs = std::move(*freqs);
    }
    return w;
}

bool pack_weights_into_panels(Weights& w, bool release_file_pages) {
    if (panel_dot_function() == nullptr) return true;
    std::vector<Matrix*> matrices = {&w.output};
    for (LayerWeights& l : w.layers) {
        for (Matrix* m : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w_gate, &l.w_up, &l.w_down})
            matrices.push_back(m);
    }
    size_t bytes = 0;
    for (const Matrix* m : matrices) bytes += panel_bytes(*m);
    if (bytes == 0) return true;
    auto arena = std::make_shared<PanelArena>(bytes);
    if (!arena->ok()) return false;
    const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    for (Matrix* m : matrices) {
        if (!panel_type(m->type)) continue;
        std::unique_ptr<PanelWeights> packed = pack_panels(*m, arena);
        if (!packed) return false;
        m->panels = packed.get();
        w.panels.push_back(std::move(packed));
        // token_embd's rows are still looked up when the output projection shares them.
        if (!release_file_pages || m->data == w.token_embd.data) continue;
        const auto begin = (reinterpret_cast<uintptr_t>(m->data) + page - 1) / page * page;
        const auto end = (reinterpret_cast<uintptr_t>(m->data) +
                          static_cast<uintptr_t>(m->rows) * row_bytes(m->type, m->cols)) /
                         page * page;
        if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
    }
    return true;
}

}  // namespace assistd
