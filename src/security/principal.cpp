#include "security/principal.h"

#include <algorithm>

namespace assistd::security {

bool Principal::may_use_model(const std::string& model) const {
    const auto allowed = [this](std::string_view name) {
        return std::find(models.begin(), models.end(), name) != models.end();
    };
    // A model allowed is allowed in each of its registry versions: "stories" covers "stories:2".
    return models.empty() || allowed(model) ||
           allowed(std::string_view(model).substr(0, model.find(':')));
}

std::vector<std::string> split_models(const std::string& text) {
    std::vector<std::string> models;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) models.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return models;
}

Result<Principal> principal_of(const store::CredentialRecord& record) {
    Result<ScopeSet> scopes = ScopeSet::parse(record.scopes);
    if (!scopes) return Error{"credential " + record.id + ": " + scopes.error().message};
    return Principal{.credential_id = record.id,
                     .kind = record.kind,
                     .scopes = *scopes,
                     .models = split_models(record.models),
                     .requests_per_minute = record.requests_per_minute,
                     .tokens_per_minute = record.tokens_per_minute,
                     .max_concurrent = record.max_concurrent,
                     .expires_at = record.expires_at,
                     .root_id = record.kind == "session" ? record.parent_id : record.id};
}

Result<void> authorize(const Principal& principal, Scope scope) {
    if (principal.scopes.has(scope)) return {};
    return Error{"credential " + principal.credential_id + " lacks the scope " +
                 std::string(scope_name(scope))};
}

Result<void> authorize_model(const Principal& principal, const std::string& model) {
    if (principal.may_use_model(model)) return {};
    return Error{"credential " + principal.credential_id + " may not use the model '" + model +
                 "'"};
}

}  // namespace assistd::security
