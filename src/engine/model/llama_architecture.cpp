// llama: RMSNorm, RoPE, grouped-query attention, SwiGLU feed-forward. Llama 1-3, TinyLlama,
// SmolLM2 and Mistral 7B files all use it: Mistral differs only in its hyperparameters (8 KV heads,
// 14336 ffn, rope base 1e6 in v0.2+), and its sliding window is not stored in GGUF, so llama.cpp
// and this engine both attend to the whole context. Llama 3.1+ adds rope_freqs.weight, which
// Weights binds when present.
#include "engine/model/architecture.h"

namespace assistd {

const Architecture& llama_architecture() {
    static const Architecture arch{.name = "llama"};
    return arch;
}

}  // namespace assistd
