// Principal: who a verified request acts as — its credential and everything that credential may
// do — and the 403 checks against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/scopes.h"
#include "store/credential_store.h"

namespace assistd::security {

struct Principal {
    std::string credential_id{};
    std::string kind{};  // "api_key", "secret_pair", "session"
    ScopeSet scopes{};
    std::vector<std::string> models{};  // empty: any model
    int64_t requests_per_minute = 0;  // 0: unlimited
    int64_t tokens_per_minute = 0;
    int64_t max_concurrent = 0;
    std::optional<int64_t> expires_at{};
    std::string root_id{};  // the long-lived credential a session descends from; itself otherwise

    bool may_use_model(const std::string& model) const;
};

// The principal a stored credential stands for (scopes and model list parsed from their text).
Result<Principal> principal_of(const store::CredentialRecord& record);

// The 403 checks. Error messages name the scope or model that is missing.
Result<void> authorize(const Principal& principal, Scope scope);
Result<void> authorize_model(const Principal& principal, const std::string& model);

std::vector<std::string> split_models(const std::string& text);  // "a,b" → {"a", "b"}

}  // namespace assistd::security
