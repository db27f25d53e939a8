#include "api/sse.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"

namespace assistd::api {

std::string sse_event(const nlohmann::json& object) {
    return "data: " + dump_json(object) + "\n\n";
}

std::string sse_done() {
    return "data: [DONE]\n\n";
}

std::string sse_error(const ApiError& error) {
    return "data: " + error_body(error) + "\n\n";
}

std::string stream_closing(const ResponseMeta& meta, std::string_view object, bool include_usage,
                           nlohmann::json usage) {
    if (!include_usage) return sse_done();
    nlohmann::json chunk = response_head(meta, object);
    chunk["choices"] = nlohmann::json::array();
    chunk["usage"] = std::move(usage);
    return sse_event(chunk) + sse_done();
}

}  // namespace assistd::api
