#include "engine/tokenizer/vocab.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace assistd {
namespace {

// GGUF token types (tokenizer.ggml.token_type) to attributes.
uint32_t attr_from_type(int32_t type) {
    switch (type) {
        case 1:
            return token_attr::kNormal;
        case 2:
            return token_attr::kUnknown;
        case 3:
            return token_attr::kControl;
        case 4:
            return token_attr::kUserDefined;
        case 5:
            return token_attr::kUnused;
        case 6:
            return token_attr::kByte;
        default:
            return token_attr::kUndefined;
    }
}

bool is_llama3_pre(std::string_view pre) {
    return pre == "llama3" || pre == "llama-v3" || pre == "llama-bpe" || pre == "falcon3";
}

}  // namespace

Result<Vocab> Vocab::from_config(VocabConfig config) {
    Vocab vocab;
    vocab.type_ = config.type;
    vocab.pre_ = config.pre;
    if (auto loaded = vocab.load_tokens(config); !loaded) return loaded.error();
    vocab.apply_type_defaults(config);
    if (auto ids = vocab.load_special_ids(config); !ids) return ids.error();
    vocab.detect_special_tokens();
    for (int32_t id = 0; id < vocab.size(); ++id) {
        const uint32_t attr = vocab.tokens_[id].attr;
        if (attr & (token_attr::kControl | token_attr::kUserDefined | token_attr::kUnknown)) {
            vocab.special_tokens_.push_back(id);
        }
    }
    std::stable_sort(vocab.special_tokens_.begin(), vocab.special_tokens_.end(),
                     [&](int32_t a, int32_t b) {
                         return vocab.tokens_[a].text.size() > vocab.tokens_[b].text.size();
                     });
    vocab.apply_model_attributes(config.model_name);
    return vocab;
}

Result<void> Vocab::load_tokens(VocabConfig& config) {
    const size_t n = config.tokens.size();
    if (n == 0) return Error{"tokenizer.ggml.tokens: the vocabulary is empty"};
    if (n > static_cast<size_t>(INT32_MAX)) return Error{"tokenizer.ggml.tokens: too many tokens"};
    if (!config.scores.empty() && config.scores.size() != n) {
        return Error{"tokenizer.ggml.scores: " + std::to_string(config.scores.size()) +
                     " scores for " + std::to_string(n) + " tokens"};
    }
    if (!config.types.empty() && config.types.size() != n) {
        return Error{"tokenizer.ggml.token_type: " + std::to_string(config.types.size()) +
                     " types for " + std::to_string(n) + " tokens"};
    }
    tokens_.resize(n);
    token_to_id_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        TokenData& token = tokens_[i];
        token.text = std::move(config.tokens[i]);
        // llama.cpp renames empty tokens so that every text maps back to one id.
        if (token.text.empty()) token.text = "[EMPTY_" + std::to_string(i) + "]";
        token.score = config.scores.empty() ? 0.0f : config.scores[i];
        token.attr = config.types.empty() ? token_attr::kNormal : attr_from_type(config.types[i]);
        token_to_id_[token.text] = static_cast<int32_t>(i);
        max_token_length_ = std::max(max_token_length_, token.text.size());
    }
    merge_ranks_.reserve(config.merges.size());
    for (size_t rank = 0; rank < config.merges.size(); ++rank) {
        const std::string& merge = config.merges[rank];
        // The split is at the first space after the first character, as in llama.cpp.
        if (merge.empty() || merge.find(' ', 1) == std::string::npos) continue;
        merge_ranks_.emplace(merge, static_cast<int32_t>(rank));
    }
    return {};
}

void Vocab::apply_type_defaults(const VocabConfig& config) {
    switch (type_) {
        case VocabType::Spm:
            bos_ = 1, eos_ = 2, unk_ = 0;
            add_space_prefix_ = true, add_bos_ = true;
            break;
        case VocabType::Bpe:
            bos_ = 11, eos_ = 11;
            if (is_llama3_pre(pre_)) ignore_merges_ = true, add_bos_ = true;
            break;
        case VocabType::Wpm:
            bos_ = 101, unk_ = 100, sep_ = 102;
            add_bos_ = true;
            break;
    }
    if (config.add_space_prefix) add_space_prefix_ = *config.add_space_prefix;
    if (config.add_bos) add_bos_ = *config.add_bos;
    if (config.add_eos) add_eos_ = *config.add_eos;
}

Result<void> Vocab::load_special_ids(const VocabConfig& config) {
    const std::array<std::pair<std::string_view, int32_t*>, 9> slots = {{{"bos", &bos_},
                                                                         {"eos", &eos_},
                                                                         {"eot", &eot_},
                                                                         {"eom", &eom_},
                                                                         {"unk", &unk_},
                                                                         {"sep", &sep_},
                                                                         {"fim_pad", &fim_pad_},
                                                                         {"fim_rep", &fim_rep_},
                                                                         {"fim_sep", &fim_sep_}}};
    for (const auto& [name, slot] : slots) {
        const auto it = config.special_ids.find(std::string(name));
        if (it == config.special_ids.end()) continue;
        // llama.cpp keeps the default when the id is out of range; so do we.
        if (it->second >= 0 && it->second < size()) *slot = static_cast<int32_t>(it->second);
    }
    return {};
}

int32_t Vocab::find(std::string_view text) const {
    const auto it = token_to_id_.find(text);
    return it == token_to_id_.end() ? -1 : it->second;
}

int32_t Vocab::merge_rank(std::string_view left, std::string_view right) const {
    std::string key;
    key.reserve(left.size() + right.size() + 1);
    key.append(left).append(1, ' ').append(right);
    const auto it = merge_ranks_.find(key);
    return it == merge_ranks_.end() ? -1 : it->second;
}

int32_t Vocab::byte_token(uint8_t byte) const {
    std::array<char, 8> name{};
    std::snprintf(name.data(), name.size(), "<0x%02X>", byte);
    if (const int32_t id = find(name.data()); id >= 0) return id;
    if (const int32_t id = find(std::string(1, static_cast<char>(byte))); id >= 0) return id;
    return unk_;
}

bool Vocab::is_end_of_generation(int32_t id) const {
    return id >= 0 && std::find(end_of_generation_.begin(), end_of_generation_.end(), id) !=
                          end_of_generation_.end();
}

}  // namespace assistd
