// Tokenizer: text <-> token ids for SPM, byte-level BPE and WordPiece vocabularies, built from a
// GGUF file's tokenizer.ggml.* metadata and token-for-token identical to llama.cpp.
//
//   auto tokenizer = Tokenizer::from_gguf(*file);           // the file may be closed afterwards
//   auto ids = tokenizer->encode("Once upon a time", tokenizer->add_bos_default());
//   StreamingDecoder stream(*tokenizer);                    // for generated tokens
//
// Rendering of special tokens: control and unknown tokens (<s>, <|im_end|>, ...) render as
// nothing by default, as llama.cpp's token_to_piece(special=false) used by llama-cli and
// llama-server; pass special=true to get their text. User-defined tokens (<think>) always render.
// decode() never applies llama.cpp's clean_up_tokenization_spaces, so decode is the concatenation
// of the pieces (what StreamingDecoder streams), bar the SPM first-token space noted below.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/vocab.h"

namespace assistd {

namespace gguf {
class GgufFile;
}

class Tokenizer {
  public:
    // Reads tokenizer.ggml.* metadata; copies what it needs.
    static Result<Tokenizer> from_gguf(const gguf::GgufFile& file);
    static Result<Tokenizer> from_vocab(Vocab vocab);

    // Text -> ids. Invalid UTF-8 is an Error. add_bos prepends BOS (and, as llama.cpp's
    // add_special, appends EOS when the vocabulary's add_eos_token says so; WordPiece wraps the
    // text in [CLS] ... [SEP]). parse_special: control tokens written in the text become their
    // ids; user-defined tokens do so either way, as in llama.cpp.
    // SPM adds a space before the text and after every special token (add_space_prefix).
    Result<std::vector<int32_t>> encode(std::string_view text, bool add_bos,
                                        bool parse_special = true) const;

    // The token's bytes (possibly part of a UTF-8 character); "" for an id out of range.
    std::string token_to_piece(int32_t token) const { return token_to_piece(token, false); }
    std::string token_to_piece(int32_t token, bool special) const;

    // Ids -> text, as llama.cpp's llama_detokenize(remove_special=false): the pieces concatenated,
    // and for SPM one leading space of the first token's piece dropped (the space encode added).
    // So SPM decode(encode(x, false)) == x, and decode(encode(x, true)) == " " + x with special
    // false (BOS renders empty) or "<s> x" with special true. Error on an id out of range.
    Result<std::string> decode(std::span<const int32_t> tokens) const {
        return decode(tokens, false);
    }
    Result<std::string> decode(std::span<const int32_t> tokens, bool special) const;

    int32_t n_vocab() const { return vocab_->size(); }
    int32_t bos() const { return vocab_->bos(); }
    int32_t eos() const { return vocab_->eos(); }
    bool is_end_of_generation(int32_t token) const { return vocab_->is_end_of_generation(token); }
    bool add_bos_default() const { return vocab_->add_bos(); }
    bool add_eos_default() const { return vocab_->add_eos(); }
    const Vocab& vocab() const { return *vocab_; }

  private:
    Tokenizer() = default;
    std::string_view piece(int32_t token, bool special) const;  // token must be in range
    void encode_fragment(std::string_view text, bool after_special,
                         std::vector<int32_t>& out) const;

    std::shared_ptr<const Vocab> vocab_;
    std::optional<PreTokenizer> pre_tokenizer_;  // byte-level BPE only
    std::vector<std::string> pieces_;            // render_piece of every id, computed once
};

}  // namespace assistd
