#include "api/chat_response.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/sse.h"

namespace assistd::api {

std::string chat_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 const Usage& usage) {
    nlohmann::json body = response_head(meta, "chat.completion");
    nlohmann::json& list = body["choices"] = nlohmann::json::array();
    for (size_t i = 0; i < choices.size(); ++i) {
        list.push_back(
            {{"index", i},
             {"message",
              {{"role", "assistant"}, {"content", choices[i].text}, {"refusal", nullptr}}},
             {"logprobs", nullptr},
             {"finish_reason", finish_reason_of(choices[i].stats)}});
    }
    body["usage"] = usage_json(usage);
    return dump_json(body);
}

ChatStream::ChatStream(ResponseMeta meta, int choice_count, bool include_usage)
    : meta_(std::move(meta)), opened_(choice_count, false), include_usage_(include_usage) {}

std::string ChatStream::frame(int index, nlohmann::json delta,
                              const nlohmann::json& finish_reason) const {
    nlohmann::json chunk = response_head(meta_, "chat.completion.chunk");
    chunk["choices"] = nlohmann::json::array({{{"index", index},
                                               {"delta", std::move(delta)},
                                               {"logprobs", nullptr},
                                               {"finish_reason", finish_reason}}});
    if (include_usage_) chunk["usage"] = nullptr;
    return sse_event(chunk);
}

std::string ChatStream::open_choice(int index) {
    if (opened_.at(index)) return "";
    opened_[index] = true;
    return frame(index, {{"role", "assistant"}, {"content", ""}}, nullptr);
}

std::string ChatStream::piece(int index, std::string_view text) {
    std::string frames = open_choice(index);
    return frames + frame(index, {{"content", text}}, nullptr);
}

std::string ChatStream::finished(int index, const GenerationStats& stats) {
    std::string frames = open_choice(index);
    return frames + frame(index, nlohmann::json::object(), finish_reason_of(stats));
}

std::string ChatStream::closing(const Usage& usage) {
    return stream_closing(meta_, "chat.completion.chunk", include_usage_, usage);
}

}  // namespace assistd::api
