#include "api/request_identity.h"

namespace assistd::api {
namespace {

nlohmann::json generation_identity(const GenerationRequest& request) {
    const GenerationParams& params = request.params;
    const SamplerParams& sampling = params.sampling;
    nlohmann::json bias = nlohmann::json::array();
    for (const LogitBias& entry : sampling.logit_bias) bias.push_back({entry.token, entry.bias});
    // nlohmann::json objects keep their keys sorted, so dump() is canonical.
    return {{"model", request.model},
            {"max_tokens", params.max_tokens},
            {"stop", params.stop},
            {"n_ctx", params.n_ctx},
            {"logprobs", params.logprobs},
            {"n", request.n},
            {"seed", request.seed ? nlohmann::json(*request.seed) : nlohmann::json(nullptr)},
            {"temperature", sampling.temperature},
            {"top_k", sampling.top_k},
            {"top_p", sampling.top_p},
            {"min_p", sampling.min_p},
            {"repeat_penalty", sampling.repeat_penalty},
            {"repeat_last_n", sampling.repeat_last_n},
            {"presence_penalty", sampling.presence_penalty},
            {"frequency_penalty", sampling.frequency_penalty},
            {"logit_bias", std::move(bias)}};
}

nlohmann::json message_identity(const ChatMessage& message) {
    nlohmann::json identity = {{"role", chat_role_name(message.role)},
                               {"content", message.content},
                               {"null_content", message.null_content}};
    if (message.tool_calls.empty() && message.role != ChatRole::Tool) return identity;
    nlohmann::json calls = nlohmann::json::array();
    for (const ChatToolCall& call : message.tool_calls) {
        calls.push_back({call.id, call.name, call.arguments});
    }
    identity["tool_calls"] = std::move(calls);
    identity["tool_call_id"] = message.tool_call_id;
    identity["name"] = message.name;
    return identity;
}

nlohmann::json tools_identity(const ChatTools& tools) {
    // The definitions' key order reaches the prompt, so it is part of the identity: dumped as
    // written.
    return {{"definitions", tools.definitions.dump()},
            {"choice", static_cast<int>(tools.choice)},
            {"forced_name", tools.forced_name},
            {"parallel", tools.parallel}};
}

}  // namespace

nlohmann::json request_identity(const ChatRequest& request) {
    nlohmann::json messages = nlohmann::json::array();
    for (const ChatMessage& message : request.messages)
        messages.push_back(message_identity(message));
    return {{"messages", std::move(messages)},
            {"response_format", request.output_format},
            {"tools", tools_identity(request.tools)},
            {"generation", generation_identity(request.generation)}};
}

nlohmann::json request_identity(const CompletionRequest& request) {
    nlohmann::json prompts = nlohmann::json::array();
    for (const CompletionPrompt& prompt : request.prompts) {
        std::visit([&prompts](const auto& value) { prompts.push_back(value); }, prompt);
    }
    return {{"prompts", std::move(prompts)},
            {"echo", request.echo},
            {"generation", generation_identity(request.generation)}};
}

bool is_deterministic(const GenerationRequest& request) {
    return request.params.sampling.temperature <= 0.0f || request.seed.has_value();
}

}  // namespace assistd::api
