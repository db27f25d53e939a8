#include "api/chat_response.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/logprobs_json.h"
#include "api/sse.h"

namespace assistd::api {

std::string chat_completion_body(const ResponseMeta& meta, std::span<const CompletedChoice> choices,
                                 const Usage& usage, const Tokenizer* logprobs,
                                 const std::optional<ToolCallReading>& tools) {
    nlohmann::json body = response_head(meta, "chat.completion");
    nlohmann::json& list = body["choices"] = nlohmann::json::array();
    for (size_t i = 0; i < choices.size(); ++i) {
        bool called = false;
        nlohmann::json message = assistant_message(choices[i].text, tools, called);
        list.push_back({{"index", i},
                        {"message", std::move(message)},
                        {"logprobs", logprobs ? chat_logprobs_json(*logprobs, choices[i].tokens)
                                              : nlohmann::json(nullptr)},
                        {"finish_reason", chat_finish_reason(choices[i].stats, called)}});
    }
    body["usage"] = chat_usage_json(usage);
    return dump_json(body);
}

ChatStream::ChatStream(ResponseMeta meta, int choice_count, bool include_usage,
                       const Tokenizer* logprobs, const std::optional<ToolCallReading>& tools)
    : meta_(std::move(meta)),
      opened_(choice_count, false),
      include_usage_(include_usage),
      logprobs_(logprobs),
      tools_(tools) {
    if (!tools) return;
    for (int i = 0; i < choice_count; ++i) {
        readings_.push_back({chat::ToolCallReader(tools->syntax, tools->max_calls), 0, {}});
    }
}

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
    if (!readings_.empty()) {
        CallReading& reading = readings_.at(index);
        reading.held_tokens.insert(reading.held_tokens.end(), tokens.begin(), tokens.end());
        return frames + pieces(index, reading.reader.read(text));
    }
    nlohmann::json logprobs = logprobs_ ? chat_logprobs_json(*logprobs_, tokens) : nullptr;
    return frames + frame(index, {{"content", text}}, std::move(logprobs), nullptr);
}

nlohmann::json ChatStream::held_logprobs(int index) {
    std::vector<TokenChoice> tokens = std::move(readings_.at(index).held_tokens);
    readings_[index].held_tokens.clear();
    return logprobs_ ? chat_logprobs_json(*logprobs_, tokens) : nullptr;
}

std::string ChatStream::pieces(int index, std::vector<chat::OutputPiece> pieces) {
    std::string frames;
    for (const chat::OutputPiece& piece : pieces) {
        if (const auto* text = std::get_if<std::string>(&piece)) {
            frames += frame(index, {{"content", *text}}, held_logprobs(index), nullptr);
            continue;
        }
        const auto& call = std::get<chat::ParsedToolCall>(piece);
        const int call_index = readings_[index].calls++;
        frames += frame(index, tool_call_start_delta(call_index, call, tools_->syntax),
                        held_logprobs(index), nullptr);
        frames += frame(index, tool_call_arguments_delta(call_index, call), nullptr, nullptr);
    }
    return frames;
}

std::string ChatStream::finished(int index, const GenerationStats& stats) {
    std::string frames = open_choice(index);
    if (readings_.empty()) {
        return frames + frame(index, nlohmann::json::object(), nullptr, finish_reason_of(stats));
    }
    frames += pieces(index, readings_.at(index).reader.finish());
    const bool called = readings_[index].calls > 0;
    nlohmann::json logprobs =
        readings_[index].held_tokens.empty() ? nlohmann::json(nullptr) : held_logprobs(index);
    return frames + frame(index, nlohmann::json::object(), std::move(logprobs),
                          chat_finish_reason(stats, called));
}

std::string ChatStream::closing(const Usage& usage) {
    return stream_closing(meta_, "chat.completion.chunk", include_usage_, chat_usage_json(usage));
}

}  // namespace assistd::api
