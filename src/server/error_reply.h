// The one way a route answers with an API error: its status and OpenAI error JSON.
#pragma once

#include <memory>

#include "api/api_error.h"
#include "server/exchange.h"

namespace assistd::server {

void reply_error(const std::shared_ptr<Exchange>& exchange, const api::ApiError& error);

}  // namespace assistd::server
