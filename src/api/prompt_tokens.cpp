#include "api/prompt_tokens.h"

#include <algorithm>

#include "api/chat_prompt.h"

namespace assistd::api {

namespace {

ApiResult<std::vector<int32_t>> encode_prompt(const Tokenizer& tokenizer, std::string_view text,
                                              std::string_view param, bool add_bos) {
    Result<std::vector<int32_t>> ids = tokenizer.encode(text, add_bos, true);
    if (!ids) return invalid_request(std::string(param), ids.error().message);
    if (ids->empty()) {
        return invalid_request(std::string(param), std::string(param) +
                                                       " is empty and this model has no BOS token "
                                                       "to start from");
    }
    return std::move(*ids);
}

}  // namespace

ApiResult<std::vector<int32_t>> chat_prompt_tokens(ChatRequest& request, const Tokenizer& tokenizer,
                                                   std::string_view chat_template, int64_t n_ctx) {
    ApiResult<std::string> text =
        render_chat_prompt(request.messages, chat_template, tokenizer, request.tools.definitions);
    if (!text) return text.error();
    // The template writes bos_token itself where the model wants it, as HF does, so none is added.
    ApiResult<std::vector<int32_t>> ids = encode_prompt(tokenizer, *text, "messages", false);
    if (!ids) return ids;
    const auto size = static_cast<int64_t>(ids->size());
    if (ApiCheck fits = fit_to_context(request.generation, size, n_ctx, "messages")) return *fits;
    return ids;
}

ApiResult<std::vector<std::vector<int32_t>>> completion_prompt_tokens(CompletionRequest& request,
                                                                      const Tokenizer& tokenizer,
                                                                      int64_t n_ctx) {
    std::vector<std::vector<int32_t>> prompts;
    for (const CompletionPrompt& prompt : request.prompts) {
        if (const auto* tokens = std::get_if<std::vector<int32_t>>(&prompt)) {
            prompts.push_back(*tokens);
            continue;
        }
        ApiResult<std::vector<int32_t>> ids = encode_prompt(
            tokenizer, std::get<std::string>(prompt), "prompt", tokenizer.add_bos_default());
        if (!ids) return ids.error();
        prompts.push_back(std::move(*ids));
    }
    size_t longest = 0;
    for (const auto& ids : prompts) longest = std::max(longest, ids.size());
    if (ApiCheck fits =
            fit_to_context(request.generation, static_cast<int64_t>(longest), n_ctx, "prompt")) {
        return *fits;
    }
    return prompts;
}

std::vector<std::string> echo_texts(const CompletionRequest& request, const Tokenizer& tokenizer) {
    std::vector<std::string> texts(request.prompts.size());
    if (!request.echo) return texts;
    for (size_t i = 0; i < request.prompts.size(); ++i) {
        if (const auto* text = std::get_if<std::string>(&request.prompts[i])) {
            texts[i] = *text;
        } else {
            // Ids were checked against the vocabulary when the request was parsed.
            texts[i] = tokenizer.decode(std::get<std::vector<int32_t>>(request.prompts[i])).value();
        }
    }
    return texts;
}

}  // namespace assistd::api
