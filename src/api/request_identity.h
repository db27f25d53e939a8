// The identity of a parsed request: canonical JSON of every field that decides its answer, after
// defaults — so key order, whitespace, a field left at its default and one given explicitly all
// give the same identity. Fields that only change how the answer is delivered (stream,
// stream_options) or that do not change it (user, metadata) are left out, so a streamed request
// and a plain one share an identity.
//
// is_deterministic() says whether the answer is a function of the identity: greedy decoding
// (temperature 0) or a fixed seed. A request without a seed draws a random one, so its answer is
// not — and n > 1 choices differ from each other only through seed + i, which is fixed too.
#pragma once

#include <nlohmann/json.hpp>

#include "api/chat_request.h"
#include "api/completion_request.h"

namespace assistd::api {

nlohmann::json request_identity(const ChatRequest& request);
nlohmann::json request_identity(const CompletionRequest& request);

bool is_deterministic(const GenerationRequest& request);

}  // namespace assistd::api
