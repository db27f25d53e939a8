// RequestLimits: what the served model and the configuration allow one request to ask for.
// The server fills it once from the loaded model and config (model.max_n, model.max_tokens_limit,
// model.default_max_tokens); the parsers check every request against it.
#pragma once

#include <cstdint>
#include <string>

namespace assistd::api {

struct RequestLimits {
    std::string model_id;  // the only `model` a request may name; others get 404
    int32_t n_vocab = 0;   // token ids (prompt, logit_bias) must be below this
    int64_t n_ctx = 0;     // prompt plus completion must fit in this many tokens
    int32_t max_n = 8;
    int64_t max_tokens_limit = 4096;
    int64_t default_max_tokens = 0;  // chat requests that do not say; 0: up to the limit
};

}  // namespace assistd::api
