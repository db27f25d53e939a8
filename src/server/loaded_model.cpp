#include "server/loaded_model.h"

namespace assistd::server {

Result<std::shared_ptr<LoadedModel>> LoadedModel::start(PreparedModel prepared,
                                                        cache::ResponseCache* cache,
                                                        cache::CacheMetrics* cache_metrics) {
    std::shared_ptr<LoadedModel> loaded(new LoadedModel(std::move(prepared)));
    const ServedModel& served = loaded->prepared_.served;
    Result<std::unique_ptr<Scheduler>> scheduler =
        Scheduler::create(*served.model, *served.tokenizer, loaded->prepared_.scheduler);
    if (!scheduler) return scheduler.error();
    loaded->scheduler_ = std::move(*scheduler);
    loaded->caching_ = std::make_unique<ResponseCaching>(
        cache, cache_metrics, ModelIdentity{served.card.id, served.version});
    return loaded;
}

}  // namespace assistd::server
