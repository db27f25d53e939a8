#include "security/scopes.h"

#include <array>
#include <utility>

namespace assistd::security {
namespace {

constexpr std::array<std::pair<Scope, std::string_view>, 7> kScopes = {{
    {Scope::ModelInvoke, "model:invoke"},
    {Scope::AudioInvoke, "audio:invoke"},
    {Scope::LogsWrite, "logs:write"},
    {Scope::MetricsRead, "metrics:read"},
    {Scope::AdminKeys, "admin:keys"},
    {Scope::AdminModels, "admin:models"},
    {Scope::AdminBackup, "admin:backup"},
}};

std::string known_names() {
    std::string names;
    for (const auto& [scope, name] : kScopes) names += (names.empty() ? "" : ", ") + std::string(name);
    return names;
}

}  // namespace

ScopeSet ScopeSet::all() {
    uint32_t bits = 0;
    for (const auto& [scope, name] : kScopes) bits |= static_cast<uint32_t>(scope);
    return ScopeSet(bits);
}

Result<ScopeSet> ScopeSet::parse(std::string_view text) {
    uint32_t bits = 0;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = text.find_first_of(", ", start);
        const std::string_view word =
            text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        if (word.empty()) continue;
        if (word == "all") {
            bits |= all().bits_;
            continue;
        }
        bool known = false;
        for (const auto& [scope, name] : kScopes) {
            if (word != name) continue;
            bits |= static_cast<uint32_t>(scope);
            known = true;
        }
        if (!known) {
            return Error{"unknown scope '" + std::string(word) + "' (known: " + known_names() +
                         ", or all)"};
        }
    }
    return ScopeSet(bits);
}

std::string ScopeSet::text() const {
    std::string out;
    for (const std::string& name : names()) out += (out.empty() ? "" : ",") + name;
    return out;
}

std::vector<std::string> ScopeSet::names() const {
    std::vector<std::string> out;
    for (const auto& [scope, name] : kScopes) {
        if (has(scope)) out.emplace_back(name);
    }
    return out;
}

std::string_view scope_name(Scope scope) {
    for (const auto& [known, name] : kScopes) {
        if (known == scope) return name;
    }
    return "unknown";
}

}  // namespace assistd::security
