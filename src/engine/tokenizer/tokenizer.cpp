#include "engine/tokenizer/tokenizer.h"

#include "engine/tokenizer/bpe_tokenizer.h"
#include "engine/tokenizer/special_tokens.h"
#include "engine/tokenizer/spm_tokenizer.h"
#include "engine/tokenizer/token_piece.h"
#include "engine/tokenizer/utf8.h"
#include "engine/tokenizer/wpm_tokenizer.h"

namespace assistd {
namespace {

constexpr std::string_view kEscapedSpace = "\xE2\x96\x81";  // U+2581

std::string escape_spaces(std::string_view text, bool prefix) {
    std::string out;
    out.reserve(text.size() + 3);
    if (prefix) out += kEscapedSpace;
    for (const char c : text) {
        if (c == ' ') {
            out += kEscapedSpace;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

Result<Tokenizer> Tokenizer::from_gguf(const gguf::GgufFile& file) {
    auto vocab = Vocab::from_gguf(file);
    if (!vocab) return vocab.error();
    return from_vocab(std::move(*vocab));
}

Result<Tokenizer> Tokenizer::from_vocab(Vocab vocab) {
    Tokenizer tokenizer;
    if (vocab.type() == VocabType::Bpe) {
        auto pre = PreTokenizer::for_pre(vocab.pre());
        if (!pre) return pre.error();
        tokenizer.pre_tokenizer_ = std::move(*pre);
    }
    tokenizer.pieces_.reserve(vocab.size());
    for (int32_t id = 0; id < vocab.size(); ++id) {
        tokenizer.pieces_.push_back(render_piece(vocab, id));
    }
    tokenizer.vocab_ = std::make_shared<const Vocab>(std::move(vocab));
    return tokenizer;
}

void Tokenizer::encode_fragment(std::string_view text, bool after_special,
                                std::vector<int32_t>& out) const {
    switch (vocab_->type()) {
        case VocabType::Spm:
            spm_tokenize(*vocab_, escape_spaces(text, after_special && vocab_->add_space_prefix()),
                         out);
            break;
        case VocabType::Bpe:
            bpe_tokenize(*vocab_, *pre_tokenizer_, text, out);
            break;
        case VocabType::Wpm:
            wpm_tokenize(*vocab_, text, out);
            break;
    }
}

Result<std::vector<int32_t>> Tokenizer::encode(std::string_view text, bool add_bos,
                                               bool parse_special) const {
    if (auto valid = utf8::validate(text); !valid) return valid.error();
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 2 + 2);
    if (add_bos && vocab_->bos() >= 0) ids.push_back(vocab_->bos());
    // The first fragment counts as following a special token: that is where SPM's prefix goes.
    bool after_special = true;
    for (const Fragment& fragment : partition_special_tokens(*vocab_, text, parse_special)) {
        if (fragment.token >= 0) {
            ids.push_back(fragment.token);
            after_special = true;
        } else {
            encode_fragment(fragment.text, after_special, ids);
            after_special = false;
        }
    }
    if (add_bos) {
        if (vocab_->type() == VocabType::Wpm && vocab_->sep() >= 0) {
            ids.push_back(vocab_->sep());
        } else if (vocab_->add_eos() && vocab_->eos() >= 0) {
            ids.push_back(vocab_->eos());
        }
    }
    return ids;
}

std::string_view Tokenizer::piece(int32_t token, bool special) const {
    constexpr uint32_t kSpecial = token_attr::kControl | token_attr::kUnknown;
    if (!special && (vocab_->token(token).attr & kSpecial)) return {};
    return pieces_[token];
}

std::string Tokenizer::token_to_piece(int32_t token, bool special) const {
    if (!vocab_->contains(token)) return {};
    return std::string(piece(token, special));
}

Result<std::string> Tokenizer::decode(std::span<const int32_t> tokens, bool special) const {
    std::string text;
    bool strip_space = vocab_->add_space_prefix();
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (!vocab_->contains(tokens[i])) {
            return Error{"token id " + std::to_string(tokens[i]) + " at position " +
                         std::to_string(i) + " is outside the vocabulary of " +
                         std::to_string(n_vocab())};
        }
        std::string_view rendered = piece(tokens[i], special);
        if (strip_space && rendered.starts_with(' ')) rendered.remove_prefix(1);
        strip_space = false;
        text.append(rendered);
    }
    return text;
}

}  // namespace assistd
