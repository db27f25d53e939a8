// qwen2 (Qwen2, Qwen2.5): llama with biases on the Q, K and V projections and NeoX-layout RoPE;
// the small models tie the output projection to the token embedding.
#include "engine/model/architecture.h"

namespace assistd {

const Architecture& qwen2_architecture() {
    static const Architecture arch{
        .name = "qwen2", .rope = RopeLayout::Neox, .qkv_bias = true, .tied_output = true};
    return arch;
}

}  // namespace assistd
