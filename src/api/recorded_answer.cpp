#include "api/recorded_answer.h"

#include <nlohmann/json.hpp>

namespace assistd::api {
namespace {

using nlohmann::json;

// Kept tiny on purpose: every cached token costs these bytes.
json token_json(const TokenChoice& token) {
    json top = json::array();
    for (const TokenLogprob& alternative : token.top) {
        top.push_back({alternative.token, alternative.logprob});
    }
    return {token.token, token.logprob, std::move(top)};
}

std::optional<TokenLogprob> read_alternative(const json& value) {
    if (!value.is_array() || value.size() != 2 || !value[0].is_number_integer() ||
        !value[1].is_number()) {
        return std::nullopt;
    }
    return TokenLogprob{value[0].get<int32_t>(), value[1].get<float>()};
}

std::optional<TokenChoice> read_token(const json& value) {
    if (!value.is_array() || value.size() != 3 || !value[0].is_number_integer() ||
        !value[1].is_number() || !value[2].is_array()) {
        return std::nullopt;
    }
    TokenChoice token{value[0].get<int32_t>(), value[1].get<float>(), {}};
    for (const json& alternative : value[2]) {
        std::optional<TokenLogprob> read = read_alternative(alternative);
        if (!read) return std::nullopt;
        token.top.push_back(*read);
    }
    return token;
}

std::optional<RecordedPiece> read_piece(const json& value) {
    if (!value.is_array() || value.size() != 2 || !value[0].is_string() || !value[1].is_array()) {
        return std::nullopt;
    }
    RecordedPiece piece{value[0].get<std::string>(), {}};
    for (const json& token : value[1]) {
        std::optional<TokenChoice> read = read_token(token);
        if (!read) return std::nullopt;
        piece.tokens.push_back(std::move(*read));
    }
    return piece;
}

std::optional<FinishReason> finish_named(const json& value) {
    if (value == "stop") return FinishReason::Stop;
    if (value == "length") return FinishReason::Length;
    return std::nullopt;  // a cancelled choice is never recorded
}

bool read_count(const json& choice, const char* name, int64_t& out) {
    auto it = choice.find(name);
    if (it == choice.end() || !it->is_number_integer() || it->get<int64_t>() < 0) return false;
    out = it->get<int64_t>();
    return true;
}

std::optional<RecordedChoice> read_choice(const json& value) {
    if (!value.is_object() || !value.contains("pieces") || !value["pieces"].is_array() ||
        !value.contains("finish")) {
        return std::nullopt;
    }
    RecordedChoice choice;
    std::optional<FinishReason> finish = finish_named(value["finish"]);
    if (!finish || !read_count(value, "n_prompt", choice.stats.n_prompt) ||
        !read_count(value, "n_cached", choice.stats.n_cached) ||
        !read_count(value, "n_generated", choice.stats.n_generated)) {
        return std::nullopt;
    }
    choice.stats.finish = *finish;
    for (const json& piece : value["pieces"]) {
        std::optional<RecordedPiece> read = read_piece(piece);
        if (!read) return std::nullopt;
        choice.pieces.push_back(std::move(*read));
    }
    return choice;
}

}  // namespace

std::string encode_recorded_answer(const RecordedAnswer& answer) {
    json choices = json::array();
    for (const RecordedChoice& choice : answer) {
        json pieces = json::array();
        for (const RecordedPiece& piece : choice.pieces) {
            json tokens = json::array();
            for (const TokenChoice& token : piece.tokens) tokens.push_back(token_json(token));
            pieces.push_back({piece.text, std::move(tokens)});
        }
        choices.push_back({{"pieces", std::move(pieces)},
                           {"finish", finish_reason_of(choice.stats)},
                           {"n_prompt", choice.stats.n_prompt},
                           {"n_cached", choice.stats.n_cached},
                           {"n_generated", choice.stats.n_generated}});
    }
    return json{{"choices", std::move(choices)}}.dump(-1, ' ', false,
                                                      json::error_handler_t::replace);
}

std::optional<RecordedAnswer> decode_recorded_answer(std::string_view bytes) {
    const json value = json::parse(bytes, nullptr, false);
    if (!value.is_object() || !value.contains("choices") || !value["choices"].is_array() ||
        value["choices"].empty()) {
        return std::nullopt;
    }
    RecordedAnswer answer;
    for (const json& choice : value["choices"]) {
        std::optional<RecordedChoice> read = read_choice(choice);
        if (!read) return std::nullopt;
        answer.push_back(std::move(*read));
    }
    return answer;
}

std::vector<CompletedChoice> completed_choices(const RecordedAnswer& answer) {
    std::vector<CompletedChoice> choices;
    for (const RecordedChoice& recorded : answer) {
        CompletedChoice& choice = choices.emplace_back();
        for (const RecordedPiece& piece : recorded.pieces) {
            choice.text += piece.text;
            choice.tokens.insert(choice.tokens.end(), piece.tokens.begin(), piece.tokens.end());
        }
        choice.stats = recorded.stats;
    }
    return choices;
}

}  // namespace assistd::api
