// Hyperparameters of a decoder-only transformer, read from a GGUF file's `<arch>.*` keys.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "engine/gguf/gguf_file.h"

namespace assistd {

struct Hyperparams {
    std::string architecture;         // general.architecture, e.g. "llama"
    int64_t n_vocab = 0;              // rows of token_embd.weight
    int64_t n_embd = 0;               // <arch>.embedding_length
    int64_t n_layer = 0;              // <arch>.block_count
    int64_t n_ff = 0;                 // <arch>.feed_forward_length
    int64_t n_head = 0;               // <arch>.attention.head_count
    int64_t n_head_kv = 0;            // <arch>.attention.head_count_kv (defaults to n_head)
    int64_t n_embd_head = 0;          // <arch>.attention.key_length (defaults to n_embd / n_head)
    int64_t n_ctx_train = 0;          // <arch>.context_length
    int64_t n_rot = 0;                // <arch>.rope.dimension_count (defaults to head_dim)
    float rope_freq_base = 10000.0f;  // <arch>.rope.freq_base
    float rope_freq_scale = 1.0f;     // 1 / <arch>.rope.scaling.factor for "linear" scaling
    float rms_norm_eps = 1e-5f;       // <arch>.attention.layer_norm_rms_epsilon

    int64_t head_dim() const { return n_embd_head; }
    int64_t n_embd_q() const { return head_dim() * n_head; }
    int64_t n_embd_kv() const { return head_dim() * n_head_kv; }
};

// Reads and checks the hyperparameters; a missing required key or an inconsistent value is an
// Error that names the key.
Result<Hyperparams> read_hyperparams(const gguf::GgufFile& file);

}  // namespace assistd
