// LoadedModel: one model version in memory with the scheduler that runs it and the response
// caching keyed by its version. A request holds it (a shared_ptr) until its answer is complete,
// so a version swapped out while requests run keeps serving them and is freed after the last.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cache/cache_metrics.h"
#include "cache/response_cache.h"
#include "common/result.h"
#include "engine/model/model.h"
#include "engine/sched/scheduler.h"
#include "engine/tokenizer/tokenizer.h"
#include "server/openai_routes.h"
#include "server/response_caching.h"

namespace assistd::server {

// Where a model version comes from.
struct ModelSource {
    std::string name{};     // what clients put in `model`
    std::string version{};  // the registry version; "" for the configured model.path
    std::string file{};     // the GGUF file; "" for the built-in model
    std::string sha256{};   // the registry's digest; "" when not imported
    int64_t created = 0;    // Unix seconds, for /v1/models
};

// What loading a source yields, before it is scheduled.
struct PreparedModel {
    std::unique_ptr<Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
    ServedModel served;  // its pointers point into model and tokenizer
    SchedulerOptions scheduler;
};

// Loads a source's file as the configuration says (threads, context, KV cache, limits).
using ModelLoader = std::function<Result<PreparedModel>(const ModelSource& source)>;

class LoadedModel {
  public:
    // Starts the scheduler. `cache` null: no response cache; both must outlive this.
    static Result<std::shared_ptr<LoadedModel>> start(PreparedModel prepared,
                                                      cache::ResponseCache* cache,
                                                      cache::CacheMetrics* cache_metrics);

    const ServedModel& served() const { return prepared_.served; }
    const SchedulerOptions& options() const { return prepared_.scheduler; }
    Scheduler& scheduler() const { return *scheduler_; }
    ResponseCaching& caching() const { return *caching_; }

  private:
    explicit LoadedModel(PreparedModel prepared) : prepared_(std::move(prepared)) {}

    PreparedModel prepared_;  // destroyed last: the scheduler runs its model
    std::unique_ptr<Scheduler> scheduler_;
    std::unique_ptr<ResponseCaching> caching_;
};

}  // namespace assistd::server
