#include "server/error_reply.h"

namespace assistd::server {

void reply_error(const std::shared_ptr<Exchange>& exchange, const api::ApiError& error) {
    exchange->reply(static_cast<http::status>(error.status), api::error_body(error));
}

}  // namespace assistd::server
