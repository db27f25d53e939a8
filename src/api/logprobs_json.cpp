#include "api/logprobs_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/utf8.h"

namespace assistd::api {
namespace {

std::string escaped_bytes(std::string_view bytes) {
    std::string text = "bytes:";
    for (char c : bytes) {
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
        text += hex;
    }
    return text;
}

nlohmann::json byte_values(std::string_view bytes) {
    nlohmann::json values = nlohmann::json::array();
    for (char c : bytes) values.push_back(static_cast<unsigned char>(c));
    return values;
}

nlohmann::json chat_entry(const Tokenizer& tokenizer, int32_t token, float logprob) {
    const std::string piece = tokenizer.token_to_piece(token);
    return {{"token", token_text(tokenizer, token)},
            {"logprob", logprob},
            {"bytes", byte_values(piece)}};
}

}  // namespace

std::string token_text(const Tokenizer& tokenizer, int32_t token) {
    std::string piece = tokenizer.token_to_piece(token);
    return utf8::first_invalid(piece) == piece.size() ? piece : escaped_bytes(piece);
}

nlohmann::json chat_logprobs_json(const Tokenizer& tokenizer, std::span<const TokenChoice> tokens) {
    nlohmann::json content = nlohmann::json::array();
    for (const TokenChoice& choice : tokens) {
        nlohmann::json entry = chat_entry(tokenizer, choice.token, choice.logprob);
        nlohmann::json& top = entry["top_logprobs"] = nlohmann::json::array();
        for (const TokenLogprob& alternative : choice.top) {
            top.push_back(chat_entry(tokenizer, alternative.token, alternative.logprob));
        }
        content.push_back(std::move(entry));
    }
    return {{"content", std::move(content)}, {"refusal", nullptr}};
}

nlohmann::json completion_logprobs_json(const Tokenizer& tokenizer,
                                        std::span<const TokenChoice> tokens, size_t& text_offset) {
    nlohmann::json texts = nlohmann::json::array();
    nlohmann::json logprobs = nlohmann::json::array();
    nlohmann::json tops = nlohmann::json::array();
    nlohmann::json offsets = nlohmann::json::array();
    for (const TokenChoice& choice : tokens) {
        texts.push_back(token_text(tokenizer, choice.token));
        logprobs.push_back(choice.logprob);
        nlohmann::json top = nlohmann::json::object();
        for (const TokenLogprob& alternative : choice.top) {
            top[token_text(tokenizer, alternative.token)] = alternative.logprob;
        }
        tops.push_back(std::move(top));
        offsets.push_back(text_offset);
        text_offset += tokenizer.token_to_piece(choice.token).size();
    }
    return {{"tokens", std::move(texts)},
            {"token_logprobs", std::move(logprobs)},
            {"top_logprobs", std::move(tops)},
            {"text_offset", std::move(offsets)}};
}

}  // namespace assistd::api
