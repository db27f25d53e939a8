#include "engine/model/model.h"

#include <algorithm>

#include "engine/model/llama_model.h"

namespace assistd {
namespace {

// Enough for chat on a small host; the KV cache of a full 32k-128k training context would not fit.
constexpr int64_t kDefaultContext = 4096;

}  // namespace

Sequence::Sequence(const Hyperparams& hp, int64_t n_ctx)
    : kv(hp.n_layer, n_ctx, hp.n_embd_kv()),
      x(hp.n_embd),
      xb(hp.n_embd),
      q(hp.n_head * hp.head_dim()),
      attn(hp.n_head * hp.head_dim()),
      scores(hp.n_head * n_ctx),
      gate(hp.n_ff),
      up(hp.n_ff),
      logits(hp.n_vocab) {}

Sequence Model::new_sequence(int64_t n_ctx) const {
    if (n_ctx <= 0) n_ctx = std::min(hparams_.n_ctx_train, kDefaultContext);
    return Sequence(hparams_, n_ctx);
}

Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path) {
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file) return file.error();
    Result<Hyperparams> hp = read_hyperparams(*file);
    if (!hp) return hp.error();
    if (hp->architecture == "llama") return LlamaModel::create(std::move(*file), std::move(*hp));
    return Error{"model: architecture '" + hp->architecture +
                 "' is not supported (supported: llama)"};
}

}  // namespace assistd
