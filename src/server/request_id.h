// The id that ties one request's log lines, audit line and response together. A client (or a
// proxy in front) may bring its own in X-Request-Id, kept when it is sane — 1 to 64 characters
// of letters, digits and -_.: — so ids cannot smuggle newlines or quotes into logs; otherwise
// the server makes one, "req_" and 24 random letters and digits.
#pragma once

#include <string>
#include <string_view>

namespace assistd::server {

bool is_sane_request_id(std::string_view id);
std::string new_request_id();

}  // namespace assistd::server
