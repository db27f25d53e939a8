// JSON text as grammar pieces: the shared rules every JSON Schema compiles to (strings, numbers,
// any value), in the one layout constrained output uses.
//
// Layout: compact JSON, with at most one space after ':' and ','. Strings are well-formed UTF-8
// with escapes (\u escapes never name a lone surrogate, which strict parsers refuse). Numbers
// have at most 16 integer digits, 15 fraction digits and 2 exponent digits, so a sampler cannot
// run digits forever and every value fits a double.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/grammar/grammar.h"

namespace assistd {

class JsonGrammar {
  public:
    explicit JsonGrammar(GrammarBuilder& builder) : b_(builder) {}

    int32_t space();   // "" or " "
    int32_t string();  // any string
    // A string of min..max characters (max: nullopt for no limit).
    int32_t string(int64_t min, std::optional<int64_t> max);
    int32_t integer();
    int32_t number();
    int32_t boolean();
    int32_t null();
    int32_t any_value();
    int32_t any_object();
    int32_t any_array();
    // items separated by "," space, min..max of them (max: nullopt for no limit).
    int32_t list(int32_t item, int64_t min, std::optional<int64_t> max);

  private:
    int32_t character();  // one character inside a string: plain, escaped or multi-byte
    int32_t digits(int min, int max);
    int32_t repeat(GrammarBuilder::Sequence item, int64_t min, std::optional<int64_t> max);
    int32_t once(std::optional<int32_t>& slot, int32_t (JsonGrammar::*make)());
    int32_t make_space();
    int32_t make_string();
    int32_t make_character();
    int32_t make_integer();
    int32_t make_number();
    int32_t make_boolean();
    int32_t make_null();
    int32_t make_any_value();
    int32_t make_any_object();
    int32_t make_any_array();

    GrammarBuilder& b_;
    std::optional<int32_t> space_, string_, character_, integer_, number_, boolean_, null_,
        any_value_, any_object_, any_array_;
};

}  // namespace assistd
