// The `logprobs` objects of OpenAI's responses, from the tokens the engine reports.
//
// Chat:        {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob",
//              "bytes"}]}], "refusal": null}
// Completions: {"tokens": [...], "token_logprobs": [...], "top_logprobs": [{token: logprob}],
//              "text_offset": [...]}
//
// A token that is not whole UTF-8 by itself (one byte of a Chinese character) is written as
// "bytes:\xe4\xbd" the way OpenAI writes such tokens; `bytes` always has its exact bytes.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>

#include "engine/sample/token_logprobs.h"
#include "engine/tokenizer/tokenizer.h"

namespace assistd::api {

std::string token_text(const Tokenizer& tokenizer, int32_t token);

nlohmann::json chat_logprobs_json(const Tokenizer& tokenizer, std::span<const TokenChoice> tokens);

// text_offset: where the first token's text starts in the choice's text; advanced past the
// tokens written, so a stream's next chunk continues from there.
nlohmann::json completion_logprobs_json(const Tokenizer& tokenizer,
                                        std::span<const TokenChoice> tokens, size_t& text_offset);

}  // namespace assistd::api
