#include "api/assistant_message.h"

#include "api/completed_choice.h"
#include "api/response_meta.h"

namespace assistd::api {

std::string new_tool_call_id(chat::ToolCallSyntax syntax) {
    // Mistral's template refuses any other id when the call comes back in the history.
    if (syntax == chat::ToolCallSyntax::Mistral) return random_id("", 9);
    return random_id("call_");
}

nlohmann::json assistant_message(std::string_view text,
                                 const std::optional<ToolCallReading>& reading, bool& called) {
    nlohmann::json message = {{"role", "assistant"}, {"content", text}, {"refusal", nullptr}};
    called = false;
    if (!reading) return message;
    chat::ToolCallReader reader(reading->syntax, reading->max_calls);
    std::vector<chat::OutputPiece> pieces = reader.read(text);
    std::vector<chat::OutputPiece> rest = reader.finish();
    pieces.insert(pieces.end(), std::make_move_iterator(rest.begin()),
                  std::make_move_iterator(rest.end()));
    std::string content;
    nlohmann::json calls = nlohmann::json::array();
    for (const chat::OutputPiece& piece : pieces) {
        if (const auto* part = std::get_if<std::string>(&piece)) {
            content += *part;
            continue;
        }
        const auto& call = std::get<chat::ParsedToolCall>(piece);
        calls.push_back({{"id", new_tool_call_id(reading->syntax)},
                         {"type", "function"},
                         {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    }
    called = !calls.empty();
    // OpenAI writes null content for a turn that only calls tools.
    message["content"] =
        content.empty() && called ? nlohmann::json(nullptr) : nlohmann::json(content);
    if (called) message["tool_calls"] = std::move(calls);
    return message;
}

nlohmann::json tool_call_start_delta(int index, const chat::ParsedToolCall& call,
                                     chat::ToolCallSyntax syntax) {
    return {{"tool_calls",
             {{{"index", index},
               {"id", new_tool_call_id(syntax)},
               {"type", "function"},
               {"function", {{"name", call.name}, {"arguments", ""}}}}}}};
}

nlohmann::json tool_call_arguments_delta(int index, const chat::ParsedToolCall& call) {
    return {{"tool_calls", {{{"index", index}, {"function", {{"arguments", call.arguments}}}}}}};
}

std::string chat_finish_reason(const GenerationStats& stats, bool called) {
    return called && stats.finish == FinishReason::Stop ? "tool_calls" : finish_reason_of(stats);
}

}  // namespace assistd::api
