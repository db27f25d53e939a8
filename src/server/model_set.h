// ModelSet: every model version the server runs, looked up per request by the request's `model`:
//
//   "stories"    the active version of registered model stories (or the configured model.path)
//   "stories:2"  version 2 of stories — only while it is the active one; other versions are
//                refused with 404 model_not_found rather than loaded behind the operator's back
//
// Registry versions are swapped by serve_registry(): new requests get the new version at once;
// requests holding the old one finish on it, and release_idle() frees it after the last.
// Thread-safe: requests look up on the connection threads while the registry watch swaps.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_result.h"
#include "api/model_cards.h"
#include "server/loaded_model.h"

namespace assistd::server {

class ModelSet {
  public:
    // `cache` null: no response cache; both must outlive this.
    ModelSet(ModelLoader loader, cache::ResponseCache* cache, cache::CacheMetrics* cache_metrics);

    // Loads `source` and serves it under its name for as long as the server runs.
    Result<void> add_fixed(const ModelSource& source);
    // Serves exactly `active` of the registry's models: loads each version not loaded yet and
    // retires the versions no longer named. A version that fails to load is logged, and its
    // model keeps the version it had.
    void serve_registry(const std::vector<ModelSource>& active);
    // Frees retired versions that no request holds any more.
    void release_idle();

    api::ApiResult<std::shared_ptr<const LoadedModel>> find(std::string_view requested) const;
    // Some model, for requests that name none: its parser reports what is wrong. Null if empty.
    std::shared_ptr<const LoadedModel> any() const;
    // The ids /v1/models lists: each name, and each registry version as name:version.
    std::vector<api::ModelCard> cards() const;
    // Every version running, retired ones included.
    void for_each(const std::function<void(const LoadedModel&)>& visit) const;
    // What the schedulers of every version run here counted, freed ones included, so that the
    // counters built on it never go backwards.
    SchedulerCounters counters() const;
    bool empty() const;

  private:
    void visit_locked(const std::function<void(const LoadedModel&)>& visit) const;

    ModelLoader loader_;
    cache::ResponseCache* cache_;
    cache::CacheMetrics* cache_metrics_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const LoadedModel>, std::less<>> fixed_;
    std::map<std::string, std::shared_ptr<const LoadedModel>, std::less<>> registered_;
    std::vector<std::shared_ptr<const LoadedModel>> retired_;
    SchedulerCounters freed_{};  // of the versions release_idle() freed
};

}  // namespace assistd::server
