// Vocab::from_gguf: reads the tokenizer.ggml.* metadata into a VocabConfig.
#include <array>

#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/vocab.h"

namespace assistd {
namespace {

constexpr std::string_view kPrefix = "tokenizer.ggml.";

std::string key(std::string_view name) {
    return std::string(kPrefix) + std::string(name);
}

Result<VocabType> read_type(const gguf::GgufFile& file) {
    auto model = file.get_string(key("model"));
    if (!model) return model.error();
    if (*model == "llama") return VocabType::Spm;
    if (*model == "gpt2") return VocabType::Bpe;
    if (*model == "bert") return VocabType::Wpm;
    return Error{key("model") + ": unsupported tokenizer model '" + std::string(*model) + "'"};
}

Result<std::vector<std::string>> read_strings(const gguf::GgufFile& file, const std::string& name) {
    auto strings = file.get_string_array(name);
    if (!strings) return strings.error();
    return std::vector<std::string>(strings->begin(), strings->end());
}

Result<void> read_special_ids(const gguf::GgufFile& file, VocabConfig& config) {
    // GGUF key suffix -> the name Vocab knows it by; the last three are deprecated spellings.
    constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kIdKeys = {{
        {"bos_token_id", "bos"},
        {"eos_token_id", "eos"},
        {"eot_token_id", "eot"},
        {"eom_token_id", "eom"},
        {"unknown_token_id", "unk"},
        {"seperator_token_id", "sep"},
        {"padding_token_id", "pad"},
        {"mask_token_id", "mask"},
        {"fim_pre_token_id", "fim_pre"},
        {"fim_suf_token_id", "fim_suf"},
        {"fim_mid_token_id", "fim_mid"},
        {"fim_pad_token_id", "fim_pad"},
        {"fim_rep_token_id", "fim_rep"},
        {"fim_sep_token_id", "fim_sep"},
        {"prefix_token_id", "fim_pre"},
        {"suffix_token_id", "fim_suf"},
        {"middle_token_id", "fim_mid"},
    }};
    for (const auto& [suffix, name] : kIdKeys) {
        const std::string full = key(suffix);
        if (!file.has(full)) continue;
        auto id = file.get_int(full);
        if (!id) return id.error();
        config.special_ids[std::string(name)] = *id;
    }
    return {};
}

Result<void> read_flags(const gguf::GgufFile& file, VocabConfig& config) {
    const std::array<std::pair<std::string_view, std::optional<bool>*>, 3> flags = {{
        {"add_bos_token", &config.add_bos},
        {"add_eos_token", &config.add_eos},
        {"add_space_prefix", &config.add_space_prefix},
    }};
    for (const auto& [suffix, slot] : flags) {
        const std::string full = key(suffix);
        if (!file.has(full)) continue;
        auto value = file.get_bool(full);
        if (!value) return value.error();
        *slot = *value;
    }
    return {};
}

Result<void> read_token_table(const gguf::GgufFile& file, VocabConfig& config) {
    auto tokens = read_strings(file, key("tokens"));
    if (!tokens) return tokens.error();
    config.tokens = std::move(*tokens);
    if (file.has(key("scores"))) {
        auto scores = file.get_f32_array(key("scores"));
        if (!scores) return scores.error();
        config.scores = std::move(*scores);
    }
    if (file.has(key("token_type"))) {
        auto types = file.get_i32_array(key("token_type"));
        if (!types) return types.error();
        config.types = std::move(*types);
    }
    if (config.type == VocabType::Bpe) {
        auto merges = read_strings(file, key("merges"));
        if (!merges) return merges.error();
        config.merges = std::move(*merges);
    }
    return {};
}

}  // namespace

Result<Vocab> Vocab::from_gguf(const gguf::GgufFile& file) {
    VocabConfig config;
    auto type = read_type(file);
    if (!type) return type.error();
    config.type = *type;
    if (file.has(key("pre"))) {
        auto pre = file.get_string(key("pre"));
        if (!pre) return pre.error();
        config.pre = std::string(*pre);
    }
    if (file.has("general.name")) {
        if (auto name = file.get_string("general.name")) config.model_name = std::string(*name);
    }
    if (auto table = read_token_table(file, config); !table) return table.error();
    if (auto ids = read_special_ids(file, config); !ids) return ids.error();
    if (auto flags = read_flags(file, config); !flags) return flags.error();
    return from_config(std::move(config));
}

}  // namespace assistd
