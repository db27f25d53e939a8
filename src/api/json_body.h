// dump_json(): the one way a JSON value becomes response text. UTF-8 is written as is (no \u
// escapes, so Chinese text stays readable and short), and a byte sequence that is not valid UTF-8
// (a model can emit one) becomes U+FFFD instead of throwing mid-response.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace assistd::api {

std::string dump_json(const nlohmann::json& value);

}  // namespace assistd::api
