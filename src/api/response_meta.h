// ResponseMeta: the fields every object of one response repeats — id, created, model and
// system_fingerprint — made once per request so that all chunks of a stream agree.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace assistd::api {

struct ResponseMeta {
    std::string id;       // "chatcmpl-…" or "cmpl-…"
    int64_t created = 0;  // Unix seconds
    std::string model;
    std::string system_fingerprint;  // "fp_…": changes when the server or model changes
};

// prefix + `length` random letters and digits
std::string random_id(std::string_view prefix, size_t length = 24);

ResponseMeta new_chat_meta(std::string model);        // id "chatcmpl-" + 24 random characters
ResponseMeta new_completion_meta(std::string model);  // id "cmpl-" + 24 random characters

// {"id", "object", "created", "model", "system_fingerprint"}: the head of every response object.
nlohmann::json response_head(const ResponseMeta& meta, std::string_view object);

// A stable fingerprint of this build serving this model, in OpenAI's "fp_" + 10 hex digits form.
std::string system_fingerprint(std::string_view model);

}  // namespace assistd::api
