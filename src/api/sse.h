// Server-Sent Events framing of OpenAI streams: each object is one `data:` event, and the stream
// ends with `data: [DONE]`. JSON has no raw newlines, so one `data:` line always suffices.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "api/api_error.h"
#include "api/completed_choice.h"
#include "api/response_meta.h"

namespace assistd::api {

std::string sse_event(const nlohmann::json& object);  // "data: {...}\n\n"
std::string sse_done();                               // "data: [DONE]\n\n"
// An error after the stream has begun (the status line is already sent), as OpenAI does.
std::string sse_error(const ApiError& error);

// The end of a stream of `object` chunks: with include_usage, a chunk with empty choices and the
// usage; then [DONE].
std::string stream_closing(const ResponseMeta& meta, std::string_view object, bool include_usage,
                           nlohmann::json usage);

}  // namespace assistd::api
