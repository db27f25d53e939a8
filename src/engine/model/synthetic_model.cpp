#include "engine/model/synthetic_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/model/architecture.h"
#include "engine/model/synthetic_vocab.h"

namespace assistd {
namespace {

constexpr SyntheticPreset kPresets[] = {
    {"tiny", 256, 2, 4, 2, 512, 2048},
    {"0.5b", 896, 24, 14, 2, 4864, 32768},
    {"1.1b", 2048, 22, 32, 4, 5632, 2048},
};

// SplitMix64: a tiny, fast generator whose output depends only on its seed, so every row of every
// tensor can be drawn independently (and in parallel) and still be the same on every platform.
uint64_t split_mix(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// What a tensor holds: a weight matrix, a bias, or a norm's scale.
enum class Fill { Uniform, Ones };

struct TensorPlan {
    std::string name;
    std::vector<int64_t> ne;  // ne[0] is the row length (the fan-in of a matrix)
    Fill fill;
    float bound;  // Uniform: values in [-bound, bound]
};

std::vector<float> draw(const TensorPlan& t, uint64_t seed, ThreadPool& pool) {
    const int64_t row_length = t.ne[0];
    const int64_t rows = t.ne.size() > 1 ? t.ne[1] : 1;
    std::vector<float> values(static_cast<size_t>(row_length * rows), 1.0f);
    if (t.fill == Fill::Ones) return values;
    pool.parallel_for(rows, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            uint64_t state = seed ^ (static_cast<uint64_t>(r) * 0xd1342543de82ef95ULL);
            for (int64_t i = 0; i < row_length; ++i) {
                // The top 24 bits as a float in [0, 1), then stretched to [-bound, bound].
                const float unit = static_cast<float>(split_mix(state) >> 40) * 0x1p-24f;
                values[r * row_length + i] = (2.0f * unit - 1.0f) * t.bound;
            }
        }
    });
    return values;
}

std::vector<TensorPlan> plan_tensors(const Architecture& arch, const SyntheticPreset& p,
                                     int64_t n_vocab, int64_t head_dim) {
    const int64_t n_q = p.n_head * head_dim;
    const int64_t n_kv = p.n_head_kv * head_dim;
    const auto matrix = [](std::string name, int64_t cols, int64_t rows) {
        return TensorPlan{std::move(name),
                          {cols, rows},
                          Fill::Uniform,
                          1.0f / std::sqrt(static_cast<float>(cols))};
    };
    const auto vector = [](std::string name, int64_t n, Fill fill, float bound) {
        return TensorPlan{std::move(name), {n}, fill, bound};
    };
    std::vector<TensorPlan> plan = {matrix("token_embd.weight", p.n_embd, n_vocab),
                                    vector("output_norm.weight", p.n_embd, Fill::Ones, 0)};
    if (!arch.tied_output) plan.push_back(matrix("output.weight", p.n_embd, n_vocab));
    const float bias_bound = 1.0f / std::sqrt(static_cast<float>(p.n_embd));
    for (int64_t il = 0; il < p.n_layer; ++il) {
        const std::string b = "blk." + std::to_string(il) + ".";
        plan.push_back(vector(b + "attn_norm.weight", p.n_embd, Fill::Ones, 0));
        plan.push_back(matrix(b + "attn_q.weight", p.n_embd, n_q));
        plan.push_back(matrix(b + "attn_k.weight", p.n_embd, n_kv));
        plan.push_back(matrix(b + "attn_v.weight", p.n_embd, n_kv));
        if (arch.qkv_bias) {
            plan.push_back(vector(b + "attn_q.bias", n_q, Fill::Uniform, bias_bound));
            plan.push_back(vector(b + "attn_k.bias", n_kv, Fill::Uniform, bias_bound));
            plan.push_back(vector(b + "attn_v.bias", n_kv, Fill::Uniform, bias_bound));
        }
        if (arch.qk_norm) {
            plan.push_back(vector(b + "attn_q_norm.weight", head_dim, Fill::Ones, 0));
            plan.push_back(vector(b + "attn_k_norm.weight", head_dim, Fill::Ones, 0));
        }
        plan.push_back(matrix(b + "attn_output.weight", n_q, p.n_embd));
        plan.push_back(vector(b + "ffn_norm.weight", p.n_embd, Fill::Ones, 0));
        plan.push_back(matrix(b + "ffn_gate.weight", p.n_embd, p.n_ff));
        plan.push_back(matrix(b + "ffn_up.weight", p.n_embd, p.n_ff));
        plan.push_back(matrix(b + "ffn_down.weight", p.n_ff, p.n_embd));
    }
    return plan;
}

void add_hyperparams(gguf::GgufWriter& out, const Architecture& arch, const SyntheticPreset& p,
                     int64_t head_dim) {
    const std::string a(arch.name);
    out.add_string("general.architecture", a);
    out.add_string("general.name", "synthetic " + a + " " + std::string(p.name));
    out.add_uint32(a + ".context_length", static_cast<uint32_t>(p.n_ctx));
    out.add_uint32(a + ".embedding_length", static_cast<uint32_t>(p.n_embd));
    out.add_uint32(a + ".block_count", static_cast<uint32_t>(p.n_layer));
    out.add_uint32(a + ".feed_forward_length", static_cast<uint32_t>(p.n_ff));
    out.add_uint32(a + ".attention.head_count", static_cast<uint32_t>(p.n_head));
    out.add_uint32(a + ".attention.head_count_kv", static_cast<uint32_t>(p.n_head_kv));
    if (arch.qk_norm) {
        out.add_uint32(a + ".attention.key_length", static_cast<uint32_t>(head_dim));
        out.add_uint32(a + ".attention.value_length", static_cast<uint32_t>(head_dim));
    }
    // Qwen checkpoints use a RoPE base of 1e6 and eps 1e-6; Llama 2 and TinyLlama 1e4 and 1e-5.
    const bool qwen = arch.rope == RopeLayout::Neox;
    out.add_float32(a + ".rope.freq_base", qwen ? 1e6f : 1e4f);
    out.add_float32(a + ".attention.layer_norm_rms_epsilon", qwen ? 1e-6f : 1e-5f);
}

}  // namespace

const SyntheticPreset* find_synthetic_preset(std::string_view name) {
    for (const SyntheticPreset& p : kPresets) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

std::string_view synthetic_preset_names() {
    return "tiny, 0.5b, 1.1b";
}

Result<gguf::GgufWriter> synthesize_model(const SyntheticSpec& spec, ThreadPool& pool) {
    const Architecture* arch = find_architecture(spec.architecture);
    if (arch == nullptr) {
        return Error{"synth: unknown architecture '" + spec.architecture +
                     "' (supported: " + std::string(supported_architectures()) + ")"};
    }
    const SyntheticPreset* preset = find_synthetic_preset(spec.preset);
    if (preset == nullptr) {
        return Error{"synth: unknown preset '" + spec.preset +
                     "' (presets: " + std::string(synthetic_preset_names()) + ")"};
    }
    gguf::GgufWriter out;
    // Qwen3 heads are wider than n_embd / n_head (Qwen3-0.6B: 1024 / 16 = 64, heads of 128).
    const int64_t natural_head = preset->n_embd / preset->n_head;
    const int64_t head_dim = arch->qk_norm ? std::max<int64_t>(natural_head, 128) : natural_head;
    add_hyperparams(out, *arch, *preset, head_dim);
    int64_t n_vocab = 0;
    if (spec.vocab.empty()) {
        n_vocab = add_byte_vocab(out);
    } else {
        Result<int64_t> loaded = add_vocab_from_file(spec.vocab, out);
        if (!loaded) return loaded.error();
        n_vocab = *loaded;
    }
    if (!spec.chat_template.empty()) out.add_string("tokenizer.chat_template", spec.chat_template);
    const std::vector<TensorPlan> plan = plan_tensors(*arch, *preset, n_vocab, head_dim);
    for (size_t i = 0; i < plan.size(); ++i) {
        const TensorPlan& t = plan[i];
        const TensorSlot slot{t.name, static_cast<int>(t.ne.size()), t.ne[0], preset->n_layer,
                              !arch->tied_output};
        const DType type = tensor_type(spec.scheme, slot);
        uint64_t tensor_seed = spec.seed + i;
        const std::vector<float> values = draw(t, split_mix(tensor_seed), pool);
        const int64_t rows = static_cast<int64_t>(values.size()) / t.ne[0];
        Result<void> added = out.add_tensor(t.name, type, t.ne,
                                            encode_rows(type, values.data(), rows, t.ne[0], pool));
        if (!added) return added.error();
    }
    out.add_uint32("general.file_type", quant_scheme_file_type(spec.scheme));
    return out;
}

Result<std::unique_ptr<Model>> builtin_tiny_model(ModelOptions options) {
    ThreadPool pool(1);
    Result<gguf::GgufWriter> writer = synthesize_model(SyntheticSpec{}, pool);
    if (!writer) return writer.error();
    return load_model(writer->to_bytes(), options);
}

}  // namespace assistd
