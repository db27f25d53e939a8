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

}  // namespace

nlohmann::json request_identity(const ChatRequest& request) {
    nlohmann::json messages = nlohmann::json::array();
    for (const ChatMessage& message : request.messages) {
        messages.push_back({{"role", chat_role_name(message.role)}, {"content", message.content}});
    }
    return {{"messages", std::move(messages)},
            {"response_format", request.output_format},
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
