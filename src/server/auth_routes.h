// POST /v1/auth/session: a short-lived session token for the calling credential, no wider than
// it (see security::CredentialIssuer::issue_session).
//
//   request:  {"expires_in": 3600, "scopes": ["model:invoke"]}   both optional: 1 h, the caller's
//   response: {"object": "session", "token": "st-...", "id": "st_...", "scopes": [...],
//              "expires_at": 1767229200}
#pragma once

#include "security/credential_issuer.h"
#include "server/router.h"

namespace assistd::server {

void add_auth_routes(Router& router, security::CredentialIssuer& issuer);

}  // namespace assistd::server
