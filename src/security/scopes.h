// Scopes: what a credential may do. A route names the one scope it needs; a credential carries a
// set of them and nothing more (least privilege: no scope implies another).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace assistd::security {

enum class Scope : uint32_t {
    ModelInvoke = 1u << 0,  // model:invoke — chat, completions, embeddings, model listing
    AudioInvoke = 1u << 1,  // audio:invoke
    LogsWrite = 1u << 2,    // logs:write
    MetricsRead = 1u << 3,  // metrics:read
    AdminKeys = 1u << 4,    // admin:keys
    AdminModels = 1u << 5,  // admin:models
    AdminBackup = 1u << 6,  // admin:backup
};

class ScopeSet {
  public:
    ScopeSet() = default;
    static ScopeSet all();
    // "model:invoke,metrics:read" (commas or spaces); "all" for every scope. Unknown names are
    // an error that lists the known ones.
    static Result<ScopeSet> parse(std::string_view text);

    bool has(Scope scope) const { return (bits_ & static_cast<uint32_t>(scope)) != 0; }
    bool within(ScopeSet other) const { return (bits_ & ~other.bits_) == 0; }
    bool empty() const { return bits_ == 0; }
    std::string text() const;  // "model:invoke,metrics:read"
    std::vector<std::string> names() const;

    bool operator==(const ScopeSet&) const = default;

  private:
    explicit ScopeSet(uint32_t bits) : bits_(bits) {}
    uint32_t bits_ = 0;
};

std::string_view scope_name(Scope scope);  // "model:invoke"

}  // namespace assistd::security
