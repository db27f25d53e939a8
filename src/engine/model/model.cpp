#include "engine/model/model.h"

#include <algorithm>
#include <cassert>

#include "engine/model/architecture.h"
#include "engine/model/transformer_model.h"

namespace assistd {
namespace {

// Enough for chat on a small host; the KV cache of a full 32k-128k training context would not fit.
constexpr int64_t kDefaultContext = 4096;

Result<std::unique_ptr<Model>> bind(gguf::GgufFile file, ModelOptions options,
                                    std::vector<uint8_t> owned_bytes) {
    Result<Hyperparams> hp = read_hyperparams(file);
    if (!hp) return hp.error();
    const Architecture* arch = find_architecture(hp->architecture);
    if (arch == nullptr) {
        return Error{"model: architecture '" + hp->architecture +
                     "' is not supported (supported: " + std::string(supported_architectures()) +
                     ")"};
    }
    return TransformerModel::create(*arch, std::move(file), std::move(*hp), options,
                                    std::move(owned_bytes));
}

}  // namespace

void Activations::resize(const Hyperparams& hp, int64_t rows) {
    if (rows <= n) return;
    n = rows;
    x.resize(n * hp.n_embd);
    xb.resize(n * hp.n_embd);
    q.resize(n * hp.n_embd_q());
    k.resize(n * hp.n_embd_kv());
    v.resize(n * hp.n_embd_kv());
    attn.resize(n * hp.n_embd_q());
    gate.resize(n * hp.n_ff);
    up.resize(n * hp.n_ff);
}

Sequence::Sequence(const Hyperparams& hp, KvCache cache)
    : kv(std::move(cache)), logits(hp.n_vocab) {}

int64_t Model::context_size(int64_t n_ctx) const {
    return n_ctx > 0 ? n_ctx : std::min(hparams_.n_ctx_train, kDefaultContext);
}

Sequence Model::new_sequence(int64_t n_ctx) const {
    const int64_t size = context_size(n_ctx);
    return new_sequence(std::make_shared<KvBlockPool>(hparams_, KvBlockPool::blocks_for(size)),
                        size);
}

Sequence Model::new_sequence(std::shared_ptr<KvBlockPool> pool, int64_t n_ctx) const {
    return Sequence(hparams_, KvCache(std::move(pool), n_ctx));
}

std::span<const float> Model::forward_batch(Sequence& seq, std::span<const int32_t> tokens,
                                            int64_t pos, ThreadPool& pool) const {
    assert(!tokens.empty());
    // Its own pool holds the whole context, so reserving cannot fail for a position below n_ctx.
    [[maybe_unused]] const bool reserved =
        seq.kv.reserve(pos + static_cast<int64_t>(tokens.size()));
    assert(reserved);
    for (size_t begin = 0; begin < tokens.size(); begin += kMaxStepTokens) {
        const size_t n = std::min<size_t>(kMaxStepTokens, tokens.size() - begin);
        const SequenceStep step{&seq, tokens.subspan(begin, n), pos + static_cast<int64_t>(begin),
                                begin + n == tokens.size()};
        forward_step({&step, 1}, seq.act, pool);
    }
    return seq.logits;
}

Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path, ModelOptions options) {
    Result<gguf::GgufFile> file = gguf::GgufFile::open(path);
    if (!file) return file.error();
    return bind(std::move(*file), options, {});
}

Result<std::unique_ptr<Model>> load_model(std::vector<uint8_t> bytes, ModelOptions options) {
    // Moving a vector keeps its buffer where it is, so the views parsed here stay valid.
    Result<gguf::GgufFile> file = gguf::GgufFile::parse(bytes);
    if (!file) return file.error();
    return bind(std::move(*file), options, std::move(bytes));
}

}  // namespace assistd
