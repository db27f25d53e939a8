#define PCRE2_CODE_UNIT_WIDTH 8
#include "engine/tokenizer/pre_tokenizer.h"

#include <pcre2.h>

#include <array>
#include <initializer_list>
#include <string>
#include <vector>

namespace assistd {
namespace {

// The regex lists, as llama.cpp writes them (llama-vocab.cpp, llm_tokenizer_bpe).
constexpr std::string_view kGpt2 =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
constexpr std::string_view kLlama3 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// DeepSeek LLM spells out its letter classes (the cased letters). Escapes keep the code points
// exact: several (U+1F7D, U+2126, U+212A, ...) are changed by NFC if written as characters.
constexpr std::string_view kDeepseekLetters =
    "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-"
    "\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
    "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD"
    "\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D"
    "\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-"
    "\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4"
    "\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D"
    "\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4"
    "\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E"
    "\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\U00010400-\U0001044F"
    "\U000104B0-\U000104D3\U000104D8-\U000104FB\U00010C80-\U00010CB2\U00010CC0-\U00010CF2"
    "\U000118A0-\U000118DF\U0001E900-\U0001E943]+";
constexpr std::string_view kDeepseekPunctuation =
    "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+";
constexpr std::string_view kCjkHangul = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";

using RegexList = std::vector<std::string_view>;

Result<RegexList> regexes_for(std::string_view pre) {
    const auto is_any = [&](std::initializer_list<std::string_view> names) {
        for (const std::string_view name : names) {
            if (pre == name) return true;
        }
        return false;
    };
    if (is_any({"", "default"})) {
        return RegexList{R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", "[0-9][0-9][0-9]"};
    }
    if (is_any(
            {"llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe", "chatglm-bpe"})) {
        return RegexList{kLlama3};
    }
    if (is_any({"qwen2", "qwen2.5", "qwen-2.5", "deepseek-r1-qwen", "stablelm2", "megrez"})) {
        return RegexList{kQwen2};
    }
    if (pre == "deepseek-llm") {
        return RegexList{"[\r\n]",  kDeepseekLetters, kDeepseekPunctuation,
                         R"(\s+$)", kCjkHangul,       R"(\p{N}+)"};
    }
    if (pre == "deepseek-coder") {
        return RegexList{"[\r\n]", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kCjkHangul, R"(\p{N})"};
    }
    if (pre == "falcon") {
        return RegexList{R"([\p{P}\$\+<=>\^~\|`]+)", kGpt2, "[0-9][0-9][0-9]"};
    }
    if (is_any(
            {"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"})) {
        return RegexList{R"(\p{N})", kGpt2};
    }
    if (is_any({"gpt-2", "mpt", "olmo", "jais", "phi-2", "jina-es", "jina-de", "gigachat",
                "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe"})) {
        return RegexList{kGpt2};
    }
    return Error{"tokenizer.ggml.pre: unknown pre-tokenizer '" + std::string(pre) + "'"};
}

// llama.cpp's whitespace includes U+0085 (NEXT LINE), PCRE2's \s does not: widen \s and \S.
std::string with_next_line_as_space(std::string_view pattern) {
    std::string out;
    bool in_class = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char next = pattern[++i];
            if (next == 's') {
                out += in_class ? "\\s\\x{85}" : "[\\s\\x{85}]";
            } else if (next == 'S' && !in_class) {
                out += "[^\\s\\x{85}]";
            } else {
                out.append(1, c).append(1, next);
            }
            continue;
        }
        if (c == '[') in_class = true;
        if (c == ']') in_class = false;
        out += c;
    }
    return out;
}

}  // namespace

struct PreTokenizer::Regex {
    pcre2_code* code = nullptr;
    ~Regex() { pcre2_code_free(code); }
};

Result<PreTokenizer> PreTokenizer::for_pre(std::string_view pre) {
    auto list = regexes_for(pre);
    if (!list) return list.error();
    PreTokenizer tokenizer;
    for (const std::string_view written : *list) {
        const std::string pattern = with_next_line_as_space(written);
        int error_code = 0;
        PCRE2_SIZE error_offset = 0;
        // DOLLAR_ENDONLY: `$` means the end of the piece, as in std::regex, not "before a final
        // \n".
        pcre2_code* code = pcre2_compile(
            reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
            PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY, &error_code, &error_offset, nullptr);
        if (code == nullptr) {
            std::array<PCRE2_UCHAR, 256> message{};
            pcre2_get_error_message(error_code, message.data(), message.size());
            return Error{"pre-tokenizer regex for '" + std::string(pre) + "' at offset " +
                         std::to_string(error_offset) + ": " +
                         reinterpret_cast<const char*>(message.data())};
        }
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // optional: falls back to the interpreter
        auto regex = std::make_shared<Regex>();
        regex->code = code;
        tokenizer.regexes_.push_back(std::move(regex));
    }
    return tokenizer;
}

std::vector<std::string_view> PreTokenizer::split(std::string_view text) const {
    std::vector<std::string_view> pieces;
    if (!text.empty()) pieces.push_back(text);
    for (const auto& regex : regexes_) {
        std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
            pcre2_match_data_create_from_pattern(regex->code, nullptr), &pcre2_match_data_free);
        std::vector<std::string_view> next;
        next.reserve(pieces.size() * 2);
        for (const std::string_view piece : pieces) {
            const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
            size_t done = 0;   // end of the last piece emitted
            size_t start = 0;  // where the next search begins
            while (start < piece.size()) {
                const int rc = pcre2_match(regex->code, subject, piece.size(), start,
                                           PCRE2_NO_UTF_CHECK, match.get(), nullptr);
                if (rc < 0) break;
                const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
                const size_t begin = ovector[0];
                const size_t end = ovector[1];
                if (end == begin) {  // an empty match splits nothing: search on from the next char
                    start = begin + 1;
                    while (start < piece.size() && (piece[start] & 0xC0) == 0x80) ++start;
                    continue;
                }
                if (begin > done) next.push_back(piece.substr(done, begin - done));
                next.push_back(piece.substr(begin, end - begin));
                done = start = end;
            }
            if (done < piece.size()) next.push_back(piece.substr(done));
        }
        pieces = std::move(next);
    }
    return pieces;
}

}  // namespace assistd
