// Vocab: the token table of one model (texts, scores, attributes, merges, special ids, flags),
// with the defaults and special-token rules llama.cpp applies when it loads a GGUF vocabulary.
//
// VocabConfig holds what the file says (absent keys stay unset); the Vocab constructor fills in
// the per-type defaults and derives lookups, the end-of-generation set and the special-token list.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace assistd::gguf {
class GgufFile;
}

namespace assistd {

enum class VocabType { Spm, Bpe, Wpm };

// Token attributes, as bits (llama.cpp's llama_token_attr).
namespace token_attr {
constexpr uint32_t kUndefined = 0;
constexpr uint32_t kUnknown = 1u << 0;
constexpr uint32_t kUnused = 1u << 1;
constexpr uint32_t kNormal = 1u << 2;
constexpr uint32_t kControl = 1u << 3;
constexpr uint32_t kUserDefined = 1u << 4;
constexpr uint32_t kByte = 1u << 5;
constexpr uint32_t kLstrip = 1u << 7;  // whitespace before the token is swallowed by it
constexpr uint32_t kRstrip = 1u << 8;  // whitespace after the token is swallowed by it
}  // namespace token_attr

struct TokenData {
    std::string text;
    float score = 0.0f;
    uint32_t attr = token_attr::kNormal;
};

// What a GGUF file states about its tokenizer; unset fields take the per-type default.
struct VocabConfig {
    VocabType type = VocabType::Spm;
    std::string pre;         // tokenizer.ggml.pre ("" when absent)
    std::string model_name;  // general.name, some token attributes depend on it
    std::vector<std::string> tokens;
    std::vector<float> scores;        // empty: all 0
    std::vector<int32_t> types;       // GGUF token types; empty: all normal
    std::vector<std::string> merges;  // "left right", by rank
    std::unordered_map<std::string, int64_t>
        special_ids;  // "bos", "eos", "unk", ... as in the keys
    std::optional<bool> add_bos;
    std::optional<bool> add_eos;
    std::optional<bool> add_space_prefix;
};

class Vocab {
  public:
    static Result<Vocab> from_gguf(const gguf::GgufFile& file);
    static Result<Vocab> from_config(VocabConfig config);

    VocabType type() const { return type_; }
    const std::string& pre() const { return pre_; }
    int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
    const TokenData& token(int32_t id) const { return tokens_[id]; }
    bool contains(int32_t id) const { return id >= 0 && id < size(); }

    // Id of the token whose text is exactly `text`, or -1.
    int32_t find(std::string_view text) const;
    // Rank of the merge "left right" (lower merges first), or -1.
    int32_t merge_rank(std::string_view left, std::string_view right) const;
    // SPM byte-fallback token for `byte` ("<0xNN>"), else the one-byte token, else unk.
    int32_t byte_token(uint8_t byte) const;
    size_t max_token_length() const { return max_token_length_; }

    int32_t bos() const { return bos_; }
    int32_t eos() const { return eos_; }
    int32_t unk() const { return unk_; }
    int32_t sep() const { return sep_; }
    bool add_bos() const { return add_bos_; }
    bool add_eos() const { return add_eos_; }
    bool add_space_prefix() const { return add_space_prefix_; }
    bool ignore_merges() const { return ignore_merges_; }
    bool is_end_of_generation(int32_t id) const;

    // Control, user-defined and unknown tokens, longest text first: the order in which text is
    // searched for them.
    const std::vector<int32_t>& special_tokens() const { return special_tokens_; }

  private:
    struct StringHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using StringMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

    Vocab() = default;
    Result<void> load_tokens(VocabConfig& config);
    Result<void> load_special_ids(const VocabConfig& config);
    int32_t find_and_mark_control(std::span<const std::string_view> texts);
    void apply_type_defaults(const VocabConfig& config);
    void detect_special_tokens();
    void apply_model_attributes(const std::string& model_name);

    VocabType type_ = VocabType::Spm;
    std::string pre_;
    std::vector<TokenData> tokens_;
    StringMap token_to_id_;
    StringMap merge_ranks_;
    size_t max_token_length_ = 0;
    int32_t bos_ = -1;
    int32_t eos_ = -1;
    int32_t eot_ = -1;
    int32_t eom_ = -1;
    int32_t unk_ = -1;
    int32_t sep_ = -1;
    int32_t fim_pad_ = -1;
    int32_t fim_rep_ = -1;
    int32_t fim_sep_ = -1;
    bool add_bos_ = false;
    bool add_eos_ = false;
    bool add_space_prefix_ = false;
    bool ignore_merges_ = false;
    std::vector<int32_t> end_of_generation_;
    std::vector<int32_t> special_tokens_;
};

}  // namespace assistd
