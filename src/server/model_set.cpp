#include "server/model_set.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/api_error.h"

namespace assistd::server {
namespace {

void log_serving(const LoadedModel& loaded) {
    const SchedulerOptions& engine = loaded.options();
    spdlog::info(
        "serving model '{}' ({} threads, context {}, batches of up to {} sequences, "
        "KV cache {} MiB)",
        loaded.served().answered_as, engine.threads, loaded.served().limits.n_ctx,
        engine.max_batch_size, engine.kv_cache_bytes >> 20);
}

void add_counters(SchedulerCounters& total, const SchedulerCounters& more) {
    total.completed += more.completed;
    total.cancelled_running += more.cancelled_running;
    total.cancelled_queued += more.cancelled_queued;
    total.failed += more.failed;
    total.preempted += more.preempted;
    total.steps += more.steps;
    total.prefix_queried_tokens += more.prefix_queried_tokens;
    total.prefix_hit_tokens += more.prefix_hit_tokens;
}

}  // namespace

ModelSet::ModelSet(ModelLoader loader, cache::ResponseCache* cache,
                   cache::CacheMetrics* cache_metrics)
    : loader_(std::move(loader)), cache_(cache), cache_metrics_(cache_metrics) {}

Result<void> ModelSet::add_fixed(const ModelSource& source) {
    Result<PreparedModel> prepared = loader_(source);
    if (!prepared) return prepared.error();
    Result<std::shared_ptr<LoadedModel>> loaded =
        LoadedModel::start(std::move(*prepared), cache_, cache_metrics_);
    if (!loaded) return loaded.error();
    log_serving(**loaded);
    std::lock_guard lock(mutex_);
    fixed_[source.name] = std::move(*loaded);
    return {};
}

void ModelSet::serve_registry(const std::vector<ModelSource>& active) {
    std::map<std::string, std::shared_ptr<const LoadedModel>, std::less<>> next;
    for (const ModelSource& source : active) {
        std::shared_ptr<const LoadedModel> current;
        {
            std::lock_guard lock(mutex_);
            if (fixed_.contains(source.name)) {
                spdlog::warn("registry model '{}' has the name of the configured model; not served",
                             source.name);
                continue;
            }
            if (auto found = registered_.find(source.name); found != registered_.end()) {
                current = found->second;
            }
        }
        if (current && current->served().answered_as == source.name + ":" + source.version) {
            next[source.name] = current;
            continue;
        }
        // Loading takes long for a big model: requests keep being served meanwhile.
        Result<PreparedModel> prepared = loader_(source);
        Result<std::shared_ptr<LoadedModel>> loaded =
            prepared ? LoadedModel::start(std::move(*prepared), cache_, cache_metrics_)
                     : Result<std::shared_ptr<LoadedModel>>(prepared.error());
        if (!loaded) {
            spdlog::error("{} version {}: not served: {}", source.name, source.version,
                          loaded.error().message);
            if (current) next[source.name] = current;
            continue;
        }
        log_serving(**loaded);
        next[source.name] = std::move(*loaded);
    }
    std::lock_guard lock(mutex_);
    for (auto& [name, loaded] : registered_) {
        auto kept = next.find(name);
        if (kept == next.end() || kept->second != loaded) {
            spdlog::info("model '{}' retired; it finishes the requests it has",
                         loaded->served().answered_as);
            retired_.push_back(std::move(loaded));
        }
    }
    registered_ = std::move(next);
}

void ModelSet::release_idle() {
    std::vector<std::shared_ptr<const LoadedModel>> idle;
    {
        std::lock_guard lock(mutex_);
        // use_count 1: only this list holds it, and nothing can find it to take another.
        auto busy = std::partition(retired_.begin(), retired_.end(),
                                   [](const auto& loaded) { return loaded.use_count() > 1; });
        idle.assign(std::make_move_iterator(busy), std::make_move_iterator(retired_.end()));
        retired_.erase(busy, retired_.end());
        for (const auto& loaded : idle) add_counters(freed_, loaded->scheduler().counters());
    }
    for (const auto& loaded : idle) spdlog::info("model '{}' freed", loaded->served().answered_as);
}

api::ApiResult<std::shared_ptr<const LoadedModel>> ModelSet::find(
    std::string_view requested) const {
    std::lock_guard lock(mutex_);
    if (auto found = fixed_.find(requested); found != fixed_.end()) return found->second;
    if (auto found = registered_.find(requested); found != registered_.end()) {
        return found->second;
    }
    const size_t colon = requested.rfind(':');
    if (colon != std::string_view::npos) {
        auto found = registered_.find(requested.substr(0, colon));
        if (found != registered_.end()) {
            if (found->second->served().answered_as == requested) return found->second;
            api::ApiError error = api::model_not_found(requested);
            error.message = "The model '" + std::string(requested) +
                            "' is not active: this server runs '" +
                            found->second->served().answered_as +
                            "' (name the model without a version for the active one)";
            return error;
        }
    }
    return api::model_not_found(requested);
}

std::shared_ptr<const LoadedModel> ModelSet::any() const {
    std::lock_guard lock(mutex_);
    if (!fixed_.empty()) return fixed_.begin()->second;
    return registered_.empty() ? nullptr : registered_.begin()->second;
}

std::vector<api::ModelCard> ModelSet::cards() const {
    std::lock_guard lock(mutex_);
    std::vector<api::ModelCard> cards;
    for (const auto& [name, loaded] : fixed_) cards.push_back(loaded->served().card);
    for (const auto& [name, loaded] : registered_) {
        const api::ModelCard& card = loaded->served().card;
        cards.push_back(card);
        cards.push_back({loaded->served().answered_as, card.created, card.description});
    }
    return cards;
}

void ModelSet::for_each(const std::function<void(const LoadedModel&)>& visit) const {
    std::lock_guard lock(mutex_);
    visit_locked(visit);
}

void ModelSet::visit_locked(const std::function<void(const LoadedModel&)>& visit) const {
    for (const auto& [name, loaded] : fixed_) visit(*loaded);
    for (const auto& [name, loaded] : registered_) visit(*loaded);
    for (const auto& loaded : retired_) visit(*loaded);
}

SchedulerCounters ModelSet::counters() const {
    std::lock_guard lock(mutex_);
    SchedulerCounters total = freed_;
    visit_locked(
        [&](const LoadedModel& loaded) { add_counters(total, loaded.scheduler().counters()); });
    return total;
}

bool ModelSet::empty() const {
    std::lock_guard lock(mutex_);
    return fixed_.empty() && registered_.empty();
}

}  // namespace assistd::server
