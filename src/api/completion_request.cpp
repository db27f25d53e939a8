#include "api/completion_request.h"

namespace assistd::api {

namespace {

bool is_one(const nlohmann::json& value) {
    return value.is_number_integer() && value.get<int64_t>() == 1;
}

// One prompt of token ids; `where` names it in messages ("prompt", "prompt[2]").
std::optional<std::vector<int32_t>> read_token_prompt(JsonFields& fields, const nlohmann::json& ids,
                                                      const std::string& where,
                                                      const RequestLimits& limits) {
    if (ids.empty()) {
        fields.fail("prompt", "has an empty token array at " + where);
        return std::nullopt;
    }
    std::vector<int32_t> tokens;
    for (size_t i = 0; i < ids.size(); ++i) {
        const nlohmann::json& id = ids[i];
        const bool in_vocabulary =
            id.is_number_integer() && id.get<int64_t>() >= 0 && id.get<int64_t>() < limits.n_vocab;
        if (!in_vocabulary) {
            fields.fail("prompt", "has " + json_brief(id) + " at " + where + "[" +
                                      std::to_string(i) +
                                      "], which is not a token id of this model's vocabulary "
                                      "(0.." +
                                      std::to_string(limits.n_vocab - 1) + ")");
            return std::nullopt;
        }
        tokens.push_back(static_cast<int32_t>(id.get<int64_t>()));
    }
    return tokens;
}

void read_prompts(JsonFields& fields, const RequestLimits& limits, CompletionRequest& request) {
    const nlohmann::json* prompt = fields.value("prompt");
    const char* shapes =
        "must be a string, an array of strings, an array of token ids or an "
        "array of token-id arrays";
    if (prompt == nullptr) {
        fields.fail("prompt", "is required");
    } else if (prompt->is_string()) {
        request.prompts.emplace_back(prompt->get<std::string>());
    } else if (!prompt->is_array() || prompt->empty()) {
        fields.fail("prompt", shapes);
    } else if ((*prompt)[0].is_number()) {
        if (auto tokens = read_token_prompt(fields, *prompt, "prompt", limits)) {
            request.prompts.emplace_back(std::move(*tokens));
        }
    } else {
        for (size_t i = 0; i < prompt->size() && !fields.failed(); ++i) {
            const nlohmann::json& entry = (*prompt)[i];
            const std::string where = "prompt[" + std::to_string(i) + "]";
            if (entry.is_string()) {
                request.prompts.emplace_back(entry.get<std::string>());
            } else if (!entry.is_array()) {
                fields.fail("prompt",
                            std::string(shapes) + "; " + where + " is " + json_kind_name(entry));
            } else if (auto tokens = read_token_prompt(fields, entry, where, limits)) {
                request.prompts.emplace_back(std::move(*tokens));
            }
        }
    }
}

void check_choice_count(JsonFields& fields, const RequestLimits& limits,
                        const CompletionRequest& request) {
    if (fields.failed() || request.choice_count() <= limits.max_n) return;
    fields.fail(request.generation.n > 1 ? "n" : "prompt",
                "asks for " + std::to_string(request.choice_count()) + " choices (" +
                    std::to_string(request.prompts.size()) +
                    " prompts × n=" + std::to_string(request.generation.n) +
                    "); this server allows " + std::to_string(limits.max_n) + " per request");
}

// logprobs: N (0..5, OpenAI's limit for this endpoint) reports each generated token's log
// probability with N alternatives. The prompt's own log probabilities (echo with logprobs) would
// need the logits of every prompt position, which the engine does not keep: refused.
void read_logprobs(JsonFields& fields, CompletionRequest& request) {
    int64_t top = 0;
    if (!fields.integer("logprobs", 0, kMaxCompletionLogprobs, top)) return;
    if (request.echo) {
        fields.fail("logprobs",
                    "is not supported together with echo: log probabilities of the prompt are "
                    "not computed");
        return;
    }
    request.generation.params.logprobs = static_cast<int>(top);
}

}  // namespace

ApiResult<CompletionRequest> parse_completion_request(std::string_view body,
                                                      const RequestLimits& limits) {
    ApiResult<nlohmann::json> object = parse_json_object(body);
    if (!object) return object.error();
    JsonFields fields(*object, "");
    CompletionRequest request;
    read_generation_fields(fields, limits, {"max_tokens"},
                           std::min(kDefaultCompletionMaxTokens, limits.max_tokens_limit),
                           request.generation);
    read_prompts(fields, limits, request);
    fields.boolean("echo", request.echo);
    check_choice_count(fields, limits, request);
    fields.unsupported(
        "suffix", [](const nlohmann::json&) { return false; },
        "inserting text before a suffix is not implemented");
    read_logprobs(fields, request);
    fields.unsupported("best_of", is_one, "only best_of 1 is");
    fields.reject_unknown();
    if (fields.error()) return *fields.error();
    return request;
}

}  // namespace assistd::api
