#include "api/json_body.h"

#include <nlohmann/json.hpp>

namespace assistd::api {

std::string dump_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace assistd::api
