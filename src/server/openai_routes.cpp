#include "server/openai_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "api/chat_prompt.h"
#include "api/chat_request.h"
#include "api/chat_response.h"
#include "api/completion_request.h"
#include "api/completion_response.h"
#include "api/prompt_tokens.h"
#include "api/request_identity.h"
#include "api/response_meta.h"
#include "api/sse.h"
#include "server/error_reply.h"
#include "server/generation_exchange.h"
#include "server/model_set.h"

namespace assistd::server {
namespace {

// The plan both endpoints share: sampling from the request, a fresh random seed when the
// request has none (OpenAI's answers without a seed differ from call to call).
GenerationPlan plan_for(const Exchange& exchange, const api::GenerationRequest& generation,
                        std::vector<std::vector<int32_t>> prompts,
                        std::shared_ptr<const LoadedModel> model) {
    GenerationPlan plan;
    plan.model = std::move(model);
    plan.request_id = exchange.request_id();
    plan.prompts = std::move(prompts);
    plan.params = generation.params;
    plan.params.sampling.seed = generation.seed ? *generation.seed : std::random_device{}();
    plan.n = generation.n;
    plan.stream = generation.stream;
    return plan;
}

int64_t total_tokens(const std::vector<std::vector<int32_t>>& prompts) {
    int64_t total = 0;
    for (const auto& prompt : prompts) total += static_cast<int64_t>(prompt.size());
    return total;
}

// The format callbacks of a streamed answer, for ChatStream or CompletionStream (both have
// piece/finished/closing).
template <typename Stream>
GenerationFormat stream_format(std::shared_ptr<Stream> stream, int64_t prompt_tokens) {
    GenerationFormat format;
    format.piece = [stream](int index, std::string_view text, std::span<const TokenChoice> tokens) {
        return stream->piece(index, text, tokens);
    };
    format.finished = [stream](int index, const GenerationStats& stats) {
        return stream->finished(index, stats);
    };
    format.closing = [stream, prompt_tokens](const std::vector<api::CompletedChoice>& choices) {
        return stream->closing(api::usage_of(prompt_tokens, choices));
    };
    return format;
}

// The tokenizer that names logprobs' tokens, or null when the request did not ask for them.
const Tokenizer* logprobs_tokenizer(const api::GenerationRequest& generation,
                                    const ServedModel& served) {
    return generation.params.logprobs >= 0 ? served.tokenizer : nullptr;
}

void add_error_formats(GenerationFormat& format) {
    format.error = transport_error_body;
    format.stream_error = [](std::string_view message) {
        return api::sse_error(api::internal_error(std::string(message)));
    };
}

// The `model` a request body names, or "" when it names none (its parser then says why).
std::string requested_model(std::string_view body) {
    const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object() || !json.contains("model") || !json["model"].is_string()) return "";
    return json["model"].get<std::string>();
}

// The model version that answers a request, held until the answer is complete, and the limits
// its request is checked against (naming the model as the request did).
struct ChosenModel {
    std::shared_ptr<const LoadedModel> loaded;
    api::RequestLimits limits;
};

api::ApiResult<ChosenModel> choose_model(const Exchange& exchange, const ModelSet& models) {
    const std::string requested = requested_model(exchange.request().body());
    std::shared_ptr<const LoadedModel> loaded;
    if (requested.empty()) {
        loaded = models.any();
        if (!loaded) return api::model_not_found("");
    } else {
        api::ApiResult<std::shared_ptr<const LoadedModel>> found = models.find(requested);
        if (!found) return found.error();
        loaded = *found;
    }
    api::RequestLimits limits = loaded->served().limits;
    if (!requested.empty()) limits.model_id = requested;
    return ChosenModel{std::move(loaded), std::move(limits)};
}

constexpr std::string_view kChatRoute = "/v1/chat/completions";
constexpr std::string_view kCompletionsRoute = "/v1/completions";

void chat_completions(const std::shared_ptr<Exchange>& exchange, const Serving& serving) {
    api::ApiResult<ChosenModel> chosen = choose_model(*exchange, serving.models);
    if (!chosen) return reply_error(exchange, chosen.error());
    const ServedModel& served = chosen->loaded->served();
    api::ApiResult<api::ChatRequest> request =
        api::parse_chat_request(exchange->request().body(), chosen->limits);
    if (!request) return reply_error(exchange, request.error());
    api::ApiResult<std::vector<int32_t>> prompt = api::chat_prompt_tokens(
        *request, *served.tokenizer, served.chat_template, served.limits.n_ctx);
    if (!prompt) return reply_error(exchange, prompt.error());

    // The model's tool-call markup, from its template: what output is read as and forced to.
    const chat::ToolCallSyntax syntax = chat::tool_call_syntax_for(
        api::chat_template_source(served.chat_template, *served.tokenizer));
    api::ApiResult<std::shared_ptr<const Grammar>> tool_grammar =
        api::forced_tool_grammar(request->tools, syntax);
    if (!tool_grammar) return reply_error(exchange, tool_grammar.error());
    std::optional<api::ToolCallReading> tools;
    if (request->tools.parsed()) tools = api::ToolCallReading{syntax, request->tools.max_calls()};

    const api::GenerationRequest& generation = request->generation;
    const api::ResponseMeta meta = api::new_chat_meta(served.answered_as);
    const auto prompt_tokens = static_cast<int64_t>(prompt->size());
    const Tokenizer* logprobs = logprobs_tokenizer(generation, served);
    GenerationFormat format;
    if (generation.stream) {
        format = stream_format(std::make_shared<api::ChatStream>(
                                   meta, generation.n, generation.include_usage, logprobs, tools),
                               prompt_tokens);
    } else {
        format.body = [meta, prompt_tokens, logprobs,
                       tools](const std::vector<api::CompletedChoice>& choices) {
            return api::chat_completion_body(meta, choices, api::usage_of(prompt_tokens, choices),
                                             logprobs, tools);
        };
    }
    add_error_formats(format);
    ResponseCaching& caching = chosen->loaded->caching();
    std::optional<cache::CacheKey> key = caching.key_for(
        exchange->request(), kChatRoute, generation, api::request_identity(*request));
    GenerationPlan plan = plan_for(*exchange, generation, {std::move(*prompt)}, chosen->loaded);
    std::shared_ptr<const Grammar> grammar =
        request->output_grammar ? request->output_grammar : *tool_grammar;
    if (grammar) plan.params.constraint = GrammarConstraint{std::move(grammar), served.token_trie};
    caching.generate(exchange, std::move(key), chosen->loaded->scheduler(), serving.metrics,
                     std::move(plan), std::move(format));
}

void completions(const std::shared_ptr<Exchange>& exchange, const Serving& serving) {
    api::ApiResult<ChosenModel> chosen = choose_model(*exchange, serving.models);
    if (!chosen) return reply_error(exchange, chosen.error());
    const ServedModel& served = chosen->loaded->served();
    api::ApiResult<api::CompletionRequest> request =
        api::parse_completion_request(exchange->request().body(), chosen->limits);
    if (!request) return reply_error(exchange, request.error());
    api::ApiResult<std::vector<std::vector<int32_t>>> prompts =
        api::completion_prompt_tokens(*request, *served.tokenizer, served.limits.n_ctx);
    if (!prompts) return reply_error(exchange, prompts.error());

    const api::GenerationRequest& generation = request->generation;
    const api::ResponseMeta meta = api::new_completion_meta(served.answered_as);
    std::vector<std::string> echoes = api::echo_texts(*request, *served.tokenizer);
    const int64_t prompt_tokens = total_tokens(*prompts);
    const Tokenizer* logprobs = logprobs_tokenizer(generation, served);
    GenerationFormat format;
    if (generation.stream) {
        format = stream_format(
            std::make_shared<api::CompletionStream>(meta, std::move(echoes), generation.n,
                                                    generation.include_usage, logprobs),
            prompt_tokens);
    } else {
        format.body = [meta, echoes = std::move(echoes), n = generation.n, prompt_tokens,
                       logprobs](const std::vector<api::CompletedChoice>& choices) {
            return api::text_completion_body(meta, choices, echoes, n,
                                             api::usage_of(prompt_tokens, choices), logprobs);
        };
    }
    add_error_formats(format);
    ResponseCaching& caching = chosen->loaded->caching();
    std::optional<cache::CacheKey> key = caching.key_for(
        exchange->request(), kCompletionsRoute, generation, api::request_identity(*request));
    caching.generate(exchange, std::move(key), chosen->loaded->scheduler(), serving.metrics,
                     plan_for(*exchange, generation, std::move(*prompts), chosen->loaded),
                     std::move(format));
}

}  // namespace

std::string transport_error_body(http::status status, std::string_view message) {
    const auto code = static_cast<int>(status);
    api::ApiError error{code, std::string(message), "", "", ""};
    switch (status) {
        case http::status::too_many_requests:
            error = api::queue_full();
            break;
        case http::status::service_unavailable:
            error = api::unavailable(std::string(message));
            break;
        default:
            error.type = code >= 500 ? "server_error" : "invalid_request_error";
            break;
    }
    return api::error_body(error);
}

void add_openai_routes(Router& router, Serving serving) {
    const ModelSet& models = serving.models;
    const Access invoke = Access::scoped(security::Scope::ModelInvoke);
    router.add(http::verb::get, "/v1/models", invoke,
               [&models](const std::shared_ptr<Exchange>& exchange) {
                   exchange->reply(http::status::ok, api::model_list_body(models.cards()));
               });
    router.add(http::verb::get, "/v1/models/{}", invoke,
               [&models](const std::shared_ptr<Exchange>& exchange) {
                   api::ApiResult<std::string> body =
                       api::model_body(models.cards(), exchange->path_param());
                   if (!body) return reply_error(exchange, body.error());
                   exchange->reply(http::status::ok, std::move(*body));
               });
    router.add(http::verb::post, std::string(kChatRoute), invoke,
               [serving](const std::shared_ptr<Exchange>& exchange) {
                   chat_completions(exchange, serving);
               });
    router.add(
        http::verb::post, std::string(kCompletionsRoute), invoke,
        [serving](const std::shared_ptr<Exchange>& exchange) { completions(exchange, serving); });
}

}  // namespace assistd::server
