#include "api/chat_response.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/logprobs_json.h"
#include "api/sse.h"

namespace assistd::api {

std::string chat_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 const Usage& usage, const Tokenizer* logprobs) {
    nlohmann::json body = response_head(meta, "chat.completion");
    nlohmann::json& list = body["choices"] = nlohmann::json::array();
    for (size_t i = 0; i < choices.size(); ++i) {
        list.push_back(
            {{"index", i},
             {"message",
              {{"role", "assistant"}, {"content", choices[i].text}, {"refusal", nullptr}}},
             {"logprobs", logprobs ? chat_logprobs_json(*logprobs, choices[i].tokens)
                                   : nlohmann::json(nullptr)},
             {"finish_reason", finish_reason_of(choices[i].stats)}});
    }
    body["usage"] = chat_usage_json(usage);
    return dump_json(body);
}

ChatStream::ChatStream(ResponseMeta meta, int choice_count, bool include_usage,
                       const Tokenizer* logprobs)
    : meta_(std::move(meta)),
      opened_(choice_count, false),
      include_usage_(include_usage),
      logprobs_(logprobs) {}

std::string ChatStream::frame(int index, nlohmann::json delta, nlohmann::json logprobs,
                              const nlohmann::json& finish_reason) const {
    nlohmann::json chunk = response_head(meta_, "chat.completion.chunk");
    chunk["choices"] = nlohmann::json::array({{{"index", index},
                                               {"delta", std::move(delta)},
                                               {"logprobs", std::move(logprobs)},
                                               {"finish_reason", finish_reason}}});
    if (include_usage_) chunk["usage"] = nullptr;
    return sse_event(chunk);
}

std::string ChatStream::open_choice(int index) {
    if (opened_.at(index)) return "";
    opened_[index] = true;
    return frame(index, {{"role", "assistant"}, {"content", ""}}, nullptr, nullptr);
}

std::string ChatStream::piece(int index, std::string_view text,
                              std::span<const TokenChoice> tokens) {
    std::string frames = open_choice(index);
    nlohmann::json logprobs = logprobs_ ? chat_logprobs_json(*logprobs_, tokens) : nullptr;
    return frames + frame(index, {{"content", text}}, std::move(logprobs), nullptr);
}

std::string ChatStream::finished(int index, const GenerationStats& stats) {
    std::string frames = open_choice(index);
    return frames + frame(index, nlohmann::json::object(), nullptr, finish_reason_of(stats));
}

std::string ChatStream::closing(const Usage& usage) {
    return stream_closing(meta_, "chat.completion.chunk", include_usage_, chat_usage_json(usage));
}

}  // namespace assistd::api
