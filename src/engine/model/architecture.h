// Architecture: what sets one decoder-only transformer family apart from the llama baseline.
//
// The forward pass (transformer_model.h) is shared; each family, in a file of its own, states only
// its differences: extra tensors, the RoPE layout, whether the output projection is usually tied
// to the embedding (what `assistd synth` writes).
#pragma once

#include <string_view>

namespace assistd {

// Which values of a head a RoPE rotation pairs. Normal: adjacent (2i, 2i+1), as llama files are
// stored (their converter permutes Q and K for it). Neox: (i, i + n_rot/2), as in Hugging Face
// checkpoints stored unpermuted (qwen2, qwen3).
enum class RopeLayout { Normal, Neox };

struct Architecture {
    std::string_view name;  // general.architecture
    RopeLayout rope = RopeLayout::Normal;
    bool qkv_bias = false;     // blk.N.attn_{q,k,v}.bias are added to the projections
    bool qk_norm = false;      // blk.N.attn_{q,k}_norm.weight: RMSNorm of each head before RoPE
    bool tied_output = false;  // synthetic files of this family omit output.weight
};

const Architecture& llama_architecture();  // llama_architecture.cpp
const Architecture& qwen2_architecture();  // qwen2_architecture.cpp
const Architecture& qwen3_architecture();  // qwen3_architecture.cpp

// The family named by general.architecture; nullptr when it is not supported.
const Architecture* find_architecture(std::string_view name);

// "llama, qwen2, qwen3": for error messages and --help.
std::string_view supported_architectures();

}  // namespace assistd
