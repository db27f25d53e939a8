// Which tokens are special: the end-of-generation set, the tokens llama.cpp recognises by their
// text, and the strip attributes it sets per model (GGUF files carry none of these).
#include <algorithm>
#include <array>
#include <cctype>

#include "engine/tokenizer/vocab.h"

namespace assistd {
namespace {

constexpr std::string_view kFullwidthBar = "\xEF\xBD\x9C";  // U+FF5C, in DeepSeek's specials
constexpr std::string_view kLowerBlock = "\xE2\x96\x81";    // U+2581

std::string deepseek_name(std::initializer_list<std::string_view> words) {
    std::string name = "<" + std::string(kFullwidthBar);
    bool first = true;
    for (const std::string_view word : words) {
        if (!first) name += kLowerBlock;
        name += word;
        first = false;
    }
    return name + std::string(kFullwidthBar) + ">";
}

// Tokens that end generation wherever they appear (and are forced to control).
constexpr std::array<std::string_view, 7> kEndOfGenerationTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>"};

bool contains_any(std::string_view haystack, std::initializer_list<std::string_view> needles) {
    return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) {
        return haystack.find(n) != std::string_view::npos;
    });
}

}  // namespace

int32_t Vocab::find_and_mark_control(std::span<const std::string_view> texts) {
    int32_t found = -1;
    for (const std::string_view text : texts) {
        const int32_t id = find(text);
        if (id >= 0 && (found < 0 || id < found)) found = id;
    }
    // A token found this way must not be split as text: llama.cpp overrides its type.
    if (found >= 0) tokens_[found].attr = token_attr::kControl;
    return found;
}

void Vocab::detect_special_tokens() {
    const std::string end_of_sentence = deepseek_name({"end", "of", "sentence"});
    const std::array<std::string_view, 7> end_of_turn = {
        "<|eot_id|>",    "<|im_end|>", "<|end|>",      "<end_of_turn>",
        "<|endoftext|>", "<EOT>",      end_of_sentence};
    if (eot_ < 0) eot_ = find_and_mark_control(end_of_turn);
    const std::array<std::string_view, 1> end_of_message = {"<|eom_id|>"};
    if (eom_ < 0) eom_ = find_and_mark_control(end_of_message);

    const std::string fim_begin = deepseek_name({"fim", "begin"});
    const std::string fim_hole = deepseek_name({"fim", "hole"});
    const std::string fim_end = deepseek_name({"fim", "end"});
    const std::array<std::string_view, 4> fim_pre = {"<|fim_prefix|>", "<fim-prefix>", fim_begin,
                                                     "<PRE>"};
    const std::array<std::string_view, 4> fim_suf = {"<|fim_suffix|>", "<fim-suffix>", fim_hole,
                                                     "<SUF>"};
    const std::array<std::string_view, 4> fim_mid = {"<|fim_middle|>", "<fim-middle>", fim_end,
                                                     "<MID>"};
    find_and_mark_control(fim_pre);
    find_and_mark_control(fim_suf);
    find_and_mark_control(fim_mid);
    const std::array<std::string_view, 3> fim_pad = {"<|fim_pad|>", "<fim-pad>", "<PAD>"};
    const std::array<std::string_view, 4> fim_rep = {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>",
                                                     "<REPO>"};
    const std::array<std::string_view, 1> fim_sep = {"<|file_sep|>"};
    if (fim_pad_ < 0) fim_pad_ = find_and_mark_control(fim_pad);
    if (fim_rep_ < 0) fim_rep_ = find_and_mark_control(fim_rep);
    if (fim_sep_ < 0) fim_sep_ = find_and_mark_control(fim_sep);

    end_of_generation_.clear();
    for (const std::string_view text : kEndOfGenerationTexts) {
        const int32_t id = find(text);
        if (id < 0) continue;
        tokens_[id].attr = token_attr::kControl;
        end_of_generation_.push_back(id);
    }
    for (const int32_t id : {fim_pad_, fim_rep_, fim_sep_, eos_, eot_, eom_}) {
        if (id >= 0) end_of_generation_.push_back(id);
    }
    std::sort(end_of_generation_.begin(), end_of_generation_.end());
    end_of_generation_.erase(std::unique(end_of_generation_.begin(), end_of_generation_.end()),
                             end_of_generation_.end());
}

void Vocab::apply_model_attributes(const std::string& model_name) {
    std::string name = model_name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto set_attr = [&](std::string_view text, uint32_t attr, bool value) {
        const int32_t id = find(text);
        if (id < 0) return;
        tokens_[id].attr = value ? (tokens_[id].attr | attr) : (tokens_[id].attr & ~attr);
    };
    if (contains_any(pre_, {"jina-v2-de", "jina-v2-es", "jina-v2-code"})) {
        set_attr("<mask>", token_attr::kLstrip, true);
    } else if (contains_any(name, {"phi-3", "phi3"})) {
        // Phi-3's added tokens swallow the whitespace after them, except these three.
        for (const int32_t id : special_tokens_) tokens_[id].attr |= token_attr::kRstrip;
        set_attr("</s>", token_attr::kRstrip, true);
        for (const std::string_view text : {"<unk>", "<s>", "<|endoftext|>"}) {
            set_attr(text, token_attr::kRstrip, false);
        }
    }
}

}  // namespace assistd
