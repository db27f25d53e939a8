// qwen3: llama with an RMSNorm over each query and key head before RoPE (no QKV biases),
// NeoX-layout RoPE, and a head size given by qwen3.attention.key_length rather than
// n_embd / n_head (Qwen3-0.6B: 1024 wide, 16 heads of 128).
#include "engine/model/architecture.h"

namespace assistd {

const Architecture& qwen3_architecture() {
    static const Architecture arch{
        .name = "qwen3", .rope = RopeLayout::Neox, .qk_norm = true, .tied_output = true};
    return arch;
}

}  // namespace assistd
