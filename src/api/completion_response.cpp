#include "api/completion_response.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/logprobs_json.h"
#include "api/sse.h"

namespace assistd::api {

namespace {

nlohmann::json completion_choice(size_t index, std::string text, nlohmann::json logprobs,
                                 const nlohmann::json& finish_reason) {
    return {{"text", std::move(text)},
            {"index", index},
            {"logprobs", std::move(logprobs)},
            {"finish_reason", finish_reason}};
}

}  // namespace

std::string text_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 std::span<const std::string> echo_texts, int n, const Usage& usage,
                                 const Tokenizer* logprobs) {
    nlohmann::json body = response_head(meta, "text_completion");
    nlohmann::json& list = body["choices"] = nlohmann::json::array();
    for (size_t i = 0; i < choices.size(); ++i) {
        const std::string& echo = echo_texts[i / n];
        size_t text_offset = echo.size();
        nlohmann::json choice_logprobs =
            logprobs ? completion_logprobs_json(*logprobs, choices[i].tokens, text_offset)
                     : nullptr;
        list.push_back(completion_choice(i, echo + choices[i].text, std::move(choice_logprobs),
                                         finish_reason_of(choices[i].stats)));
    }
    body["usage"] = usage_json(usage);
    return dump_json(body);
}

CompletionStream::CompletionStream(ResponseMeta meta, std::vector<std::string> echo_texts, int n,
                                   bool include_usage, const Tokenizer* logprobs)
    : meta_(std::move(meta)),
      echo_texts_(std::move(echo_texts)),
      n_(n),
      echoed_(echo_texts_.size() * n, false),
      text_offsets_(echoed_.size()),
      include_usage_(include_usage),
      logprobs_(logprobs) {
    for (size_t i = 0; i < text_offsets_.size(); ++i) text_offsets_[i] = echo_texts_[i / n].size();
}

std::string CompletionStream::frame(int index, std::string_view text, nlohmann::json logprobs,
                                    const nlohmann::json& finish_reason) {
    std::string full;
    if (!echoed_.at(index)) {
        echoed_[index] = true;
        full = echo_texts_[index / n_];
    }
    full += text;
    nlohmann::json chunk = response_head(meta_, "text_completion");
    chunk["choices"] =
        nlohmann::json::array({completion_choice(index, full, std::move(logprobs), finish_reason)});
    if (include_usage_) chunk["usage"] = nullptr;
    return sse_event(chunk);
}

std::string CompletionStream::piece(int index, std::string_view text,
                                    std::span<const TokenChoice> tokens) {
    nlohmann::json logprobs =
        logprobs_ ? completion_logprobs_json(*logprobs_, tokens, text_offsets_.at(index)) : nullptr;
    return frame(index, text, std::move(logprobs), nullptr);
}

std::string CompletionStream::finished(int index, const GenerationStats& stats) {
    return frame(index, "", nullptr, finish_reason_of(stats));
}

std::string CompletionStream::closing(const Usage& usage) {
    return stream_closing(meta_, "text_completion", include_usage_, usage_json(usage));
}

}  // namespace assistd::api
