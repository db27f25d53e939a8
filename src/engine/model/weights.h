// Binding of a GGUF file's tensors to the weights of a llama-style transformer.
//
// Matrices stay views into the mapped file (quantized as stored); the small 1-D norm weights are
// dequantized into owned float vectors. Every tensor's type and shape is checked at load time so
// the forward pass never reads out of bounds.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/architecture.h"
#include "engine/model/hyperparams.h"
#include "engine/tensor/matrix.h"
#include "engine/tensor/panel_format.h"

namespace assistd {

struct LayerWeights {
    std::vector<float> attn_norm;       // (n_embd)
    Matrix wq;                          // (n_embd -> n_head * head_dim)
    Matrix wk;                          // (n_embd -> n_head_kv * head_dim)
    Matrix wv;                          // (n_embd -> n_head_kv * head_dim)
    std::vector<float> bq, bk, bv;      // (n_head * head_dim), (n_head_kv * head_dim) x2; qkv_bias
    std::vector<float> q_norm, k_norm;  // (head_dim) each; qk_norm
    Matrix wo;                          // (n_head * head_dim -> n_embd)
    std::vector<float> ffn_norm;        // (n_embd)
    Matrix w_gate;                      // (n_embd -> n_ff)
    Matrix w_up;                        // (n_embd -> n_ff)
    Matrix w_down;                      // (n_ff -> n_embd)
};

struct Weights {
    Matrix token_embd;  // (n_vocab rows of n_embd)
    std::vector<LayerWeights> layers;
    std::vector<float> output_norm;  // (n_embd)
    Matrix output;                   // (n_embd -> n_vocab); token_embd when the file ties them
    std::vector<float> rope_freqs;   // (n_rot / 2) Llama 3 frequency factors; empty when absent
    std::vector<std::unique_ptr<PanelWeights>> panels;  // owned by the matrices' `panels`
};

// Binds every tensor `arch` needs; a missing tensor or a wrong shape or type is an Error naming it.
Result<Weights> bind_weights(const gguf::GgufFile& file, const Hyperparams& hp,
                             const Architecture& arch);

// Repacks the matrices the panel kernels take (Q4_0, Q8_0) where this CPU runs them: products
// with 8-bit activations then read only the panels. `release_file_pages` hands the file pages of
// matrices no longer read back to the page cache (only for a file mapping: owned bytes would
// read back as zeros). False when memory for the panels ran out (the matrices keep GGUF's layout).
bool pack_weights_into_panels(Weights& w, bool release_file_pages);

}  // namespace assistd
