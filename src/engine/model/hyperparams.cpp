#include "engine/model/hyperparams.h"

#include <string>

namespace assistd {
namespace {

// A positive integer under `<arch>.<name>`, or `fallback` when the key is absent and fallback > 0.
Result<int64_t> positive_int(const gguf::GgufFile& file, const std::string& key, int64_t fallback) {
    if (!file.has(key)) {
        if (fallback > 0) return fallback;
        return Error{"model: missing required key '" + key + "'"};
    }
    Result<int64_t> value = file.get_int(key);
    if (!value) return value.error();
    if (*value <= 0 || *value > (int64_t{1} << 31)) {
        return Error{"model: key '" + key + "' has out-of-range value " + std::to_string(*value)};
    }
    return *value;
}

Result<float> positive_float(const gguf::GgufFile& file, const std::string& key, float fallback) {
    if (!file.has(key)) return fallback;
    Result<double> value = file.get_float(key);
    if (!value) return value.error();
    if (!(*value > 0.0)) {
        return Error{"model: key '" + key + "' must be positive, got " + std::to_string(*value)};
    }
    return static_cast<float>(*value);
}

// Heads: query and key/value head counts, the head size and the rotated part of each head.
Result<void> read_head_layout(const gguf::GgufFile& file, const std::string& prefix,
                              Hyperparams& hp) {
    // Qwen3 and Gemma give the head size explicitly; older files imply n_embd / n_head.
    const bool explicit_head = file.has(prefix + "attention.key_length");
    if (!explicit_head && hp.n_embd % hp.n_head != 0) {
        return Error{"model: embedding_length " + std::to_string(hp.n_embd) +
                     " is not a multiple of attention.head_count " + std::to_string(hp.n_head)};
    }
    Result<int64_t> head =
        positive_int(file, prefix + "attention.key_length", hp.n_embd / hp.n_head);
    if (!head) return head.error();
    hp.n_embd_head = *head;
    Result<int64_t> value_head = positive_int(file, prefix + "attention.value_length", *head);
    if (!value_head) return value_head.error();
    if (*value_head != *head) {
        return Error{"model: attention.value_length " + std::to_string(*value_head) +
                     " differs from attention.key_length " + std::to_string(*head) +
                     ", which this engine does not support"};
    }
    Result<int64_t> n_head_kv = positive_int(file, prefix + "attention.head_count_kv", hp.n_head);
    if (!n_head_kv) return n_head_kv.error();
    hp.n_head_kv = *n_head_kv;
    if (hp.n_head % hp.n_head_kv != 0) {
        return Error{"model: attention.head_count " + std::to_string(hp.n_head) +
                     " is not a multiple of attention.head_count_kv " +
                     std::to_string(hp.n_head_kv)};
    }
    Result<int64_t> n_rot = positive_int(file, prefix + "rope.dimension_count", hp.head_dim());
    if (!n_rot) return n_rot.error();
    hp.n_rot = *n_rot;
    if (hp.n_rot > hp.head_dim() || hp.n_rot % 2 != 0) {
        return Error{"model: rope.dimension_count " + std::to_string(hp.n_rot) +
                     " must be even and at most the head size " + std::to_string(hp.head_dim())};
    }
    return {};
}

// Linear RoPE scaling ("position interpolation") divides every angle by the factor. Llama 3's
// scaling comes as the rope_freqs.weight tensor instead (see Weights); YaRN is not implemented, so
// a file that asks for it is refused rather than run with wrong positions.
Result<float> rope_freq_scale(const gguf::GgufFile& file, const std::string& prefix) {
    const std::string type_key = prefix + "rope.scaling.type";
    std::string_view type = "none";
    if (file.has(type_key)) {
        Result<std::string_view> value = file.get_string(type_key);
        if (!value) return value.error();
        type = *value;
    }
    if (type == "none") return 1.0f;
    if (type != "linear") {
        return Error{"model: key '" + type_key + "' is '" + std::string(type) +
                     "'; only 'none' and 'linear' RoPE scaling are supported"};
    }
    Result<float> factor = positive_float(file, prefix + "rope.scaling.factor", 1.0f);
    if (!factor) return factor.error();
    return 1.0f / *factor;
}

}  // namespace

Result<Hyperparams> read_hyperparams(const gguf::GgufFile& file) {
    Hyperparams hp;
    Result<std::string_view> arch = file.get_string("general.architecture");
    if (!arch) return arch.error();
    hp.architecture = std::string(*arch);
    const std::string prefix = hp.architecture + ".";

    const gguf::TensorInfo* embd = file.find_tensor("token_embd.weight");
    if (embd == nullptr) return Error{"model: missing tensor 'token_embd.weight'"};
    hp.n_vocab = embd->ne[1];

    struct IntKey {
        int64_t* field;
        const char* name;
        int64_t fallback;
    };
    const IntKey required[] = {
        {&hp.n_embd, "embedding_length", 0},    {&hp.n_layer, "block_count", 0},
        {&hp.n_ff, "feed_forward_length", 0},   {&hp.n_head, "attention.head_count", 0},
        {&hp.n_ctx_train, "context_length", 0},
    };
    for (const IntKey& key : required) {
        Result<int64_t> value = positive_int(file, prefix + key.name, key.fallback);
        if (!value) return value.error();
        *key.field = *value;
    }
    Result<void> heads = read_head_layout(file, prefix, hp);
    if (!heads) return heads.error();

    Result<float> base = positive_float(file, prefix + "rope.freq_base", 10000.0f);
    if (!base) return base.error();
    hp.rope_freq_base = *base;
    Result<float> scale = rope_freq_scale(file, prefix);
    if (!scale) return scale.error();
    hp.rope_freq_scale = *scale;
    Result<float> eps = positive_float(file, prefix + "attention.layer_norm_rms_epsilon", 1e-5f);
    if (!eps) return eps.error();
    hp.rms_norm_eps = *eps;
    return hp;
}

}  // namespace assistd
