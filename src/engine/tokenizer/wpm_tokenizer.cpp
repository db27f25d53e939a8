#include "engine/tokenizer/wpm_tokenizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <string>

#include "engine/tokenizer/utf8.h"

namespace assistd {
namespace {

constexpr std::string_view kWordStart = "\xE2\x96\x81";  // U+2581

// The ranges BERT's reference tokenizer treats as CJK ideographs (as llama.cpp copies them).
bool is_cjk_ideograph(UChar32 cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
           (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool is_other_category(UChar32 cp) {  // \p{C} minus unassigned
    const auto type = u_charType(cp);
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_PRIVATE_USE_CHAR ||
           type == U_SURROGATE;
}

bool is_symbol(UChar32 cp) {
    const auto type = u_charType(cp);
    return type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL || type == U_MODIFIER_SYMBOL ||
           type == U_OTHER_SYMBOL;
}

// llama.cpp's NFD table keeps one code point per character, the first of its decomposition:
// precomposed letters lose their accents ("ü" -> "u"), combining marks in the input stay.
UChar32 decompose_to_base(const icu::Normalizer2& nfd, UChar32 cp) {
    icu::UnicodeString decomposition;
    if (!nfd.getDecomposition(cp, decomposition) || decomposition.isEmpty()) return cp;
    return decomposition.char32At(0);
}

std::vector<std::string> split_words(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    std::vector<std::string> words(1);
    for (const uint32_t raw : utf8::decode(text)) {
        const auto cp = U_SUCCESS(status) ? decompose_to_base(*nfd, static_cast<UChar32>(raw))
                                          : static_cast<UChar32>(raw);
        if (u_isUWhiteSpace(cp)) {
            if (!words.back().empty()) words.emplace_back();
            continue;
        }
        if (cp == 0 || cp == 0xFFFD || is_other_category(cp)) continue;
        const std::string lowered = utf8::encode(static_cast<uint32_t>(u_tolower(cp)));
        if (u_ispunct(cp) || (cp < 0x7F && is_symbol(cp)) || is_cjk_ideograph(cp)) {
            if (!words.back().empty()) words.emplace_back();
            words.back() = lowered;
            words.emplace_back();
        } else {
            words.back() += lowered;
        }
    }
    if (words.back().empty()) words.pop_back();
    return words;
}

}  // namespace

void wpm_tokenize(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out) {
    for (const std::string& bare : split_words(text)) {
        const std::string word = std::string(kWordStart) + bare;
        const size_t n = word.size();
        const size_t before = out.size();
        // Greedy longest match, byte by byte as llama.cpp does: partial characters never match.
        for (size_t i = 0; i < n;) {
            size_t matched = 0;
            for (size_t j = std::min(n, i + vocab.max_token_length() + 1); j > i; --j) {
                if (const int32_t id = vocab.find(std::string_view(word).substr(i, j - i));
                    id >= 0) {
                    out.push_back(id);
                    matched = j - i;
                    break;
                }
            }
            if (matched == 0) {
                out.resize(before);
                break;
            }
            i += matched;
        }
        if (out.size() == before) out.push_back(vocab.unk());
    }
}

}  // namespace assistd
