// From a parsed request to the token ids the engine runs: chat messages are rendered and encoded,
// completion prompts encoded (or taken as given), then the context is checked and max_tokens is
// capped to the room left (see fit_to_context).
//
//   ApiResult<std::vector<int32_t>> prompt =
//       chat_prompt_tokens(*request, tokenizer, chat_template, limits.n_ctx);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_result.h"
#include "api/chat_request.h"
#include "api/completion_request.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

// Renders the messages through the chat template (chat_prompt.h), encodes them with special
// tokens parsed (the template's <|im_start|> must become its control token) and no BOS added (the
// template writes bos_token where the model wants one), and fits them in n_ctx.
ApiResult<std::vector<int32_t>> chat_prompt_tokens(ChatRequest& request, const Tokenizer& tokenizer,
                                                   std::string_view chat_template, int64_t n_ctx);

// One token list per prompt, in order. max_tokens is fitted to the longest prompt.
ApiResult<std::vector<std::vector<int32_t>>> completion_prompt_tokens(CompletionRequest& request,
                                                                      const Tokenizer& tokenizer,
                                                                      int64_t n_ctx);

// What echo puts before each prompt's completions: the prompt's text (token prompts decoded), or
// "" for every prompt when echo is off.
std::vector<std::string> echo_texts(const CompletionRequest& request, const Tokenizer& tokenizer);

}  // namespace assistd::api
