// Key management over HTTP, for callers with admin:keys — the same operations as `assistd keys`:
//
//   GET    /v1/admin/keys          → {"object":"list","data":[{id, kind, name, scopes, ...}]}
//   POST   /v1/admin/keys          {"name","scopes":[...],"models":[...],"expires_in_days",
//                                   "requests_per_minute","tokens_per_minute","max_concurrent",
//                                   "secret_pair": false}  → the record and its secret, once
//   DELETE /v1/admin/keys/{id}     → {"id", "revoked": true}
//
// An admin cannot mint a key wider than its own: the scopes asked for must be within the caller's.
#pragma once

#include "security/credential_issuer.h"
#include "server/router.h"
#include "store/credential_store.h"

namespace assistd::server {

void add_admin_key_routes(Router& router, store::CredentialStore& store,
                          security::CredentialIssuer& issuer);

}  // namespace assistd::server
