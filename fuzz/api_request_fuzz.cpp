// libFuzzer entry point for the OpenAI request parsers: any bytes as the body of
// /v1/chat/completions and /v1/completions must give either a request within the limits or an
// ApiError with a 4xx status whose error body is valid JSON — never a crash or an exception.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/api_error.h"
#include "api/chat_request.h"
#include "api/completion_request.h"

namespace {

const assistd::api::RequestLimits kLimits{.model_id = "fuzz",
                                          .n_vocab = 1000,
                                          .n_ctx = 512,
                                          .max_n = 4,
                                          .max_tokens_limit = 256,
                                          .default_max_tokens = 0};

[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
}

void check_error(const assistd::api::ApiError& error) {
    if (error.status < 400 || error.status >= 500) broken("a refusal is a 4xx");
    if (error.message.empty()) broken("a refusal says why");
    if (!nlohmann::json::accept(assistd::api::error_body(error))) broken("error body is JSON");
}

void check_generation(const assistd::api::GenerationRequest& generation) {
    if (generation.n < 1 || generation.n > kLimits.max_n) broken("n within limits");
    if (generation.params.max_tokens > kLimits.max_tokens_limit) broken("max_tokens within limits");
    for (const auto& bias : generation.params.sampling.logit_bias) {
        if (bias.token < 0 || bias.token >= kLimits.n_vocab) broken("logit_bias ids in vocabulary");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (auto chat = assistd::api::parse_chat_request(body, kLimits); chat) {
        if (chat->messages.empty()) broken("a chat has messages");
        check_generation(chat->generation);
    } else {
        check_error(chat.error());
    }
    if (auto completion = assistd::api::parse_completion_request(body, kLimits); completion) {
        if (completion->prompts.empty()) broken("a completion has a prompt");
        for (const auto& prompt : completion->prompts) {
            if (const auto* ids = std::get_if<std::vector<int32_t>>(&prompt)) {
                for (int32_t id : *ids) {
                    if (id < 0 || id >= kLimits.n_vocab) broken("prompt ids in vocabulary");
                }
            }
        }
        check_generation(completion->generation);
    } else {
        check_error(completion.error());
    }
    return 0;
}
