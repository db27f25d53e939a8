#include "server/registry_watch.h"

#include <spdlog/spdlog.h>

namespace assistd::server {

Result<std::unique_ptr<RegistryWatch>> RegistryWatch::start(const std::filesystem::path& data_dir,
                                                            ModelSet& models,
                                                            std::chrono::milliseconds interval) {
    Result<store::ModelRegistry> registry = store::ModelRegistry::open(data_dir);
    if (!registry) return registry.error();
    std::unique_ptr<RegistryWatch> watch(new RegistryWatch(std::move(*registry), models, interval));
    watch->sync();
    watch->thread_ = std::thread([raw = watch.get()] { raw->run(); });
    return watch;
}

RegistryWatch::RegistryWatch(store::ModelRegistry registry, ModelSet& models,
                             std::chrono::milliseconds interval)
    : registry_(std::move(registry)), models_(models), interval_(interval) {}

RegistryWatch::~RegistryWatch() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RegistryWatch::sync() {
    Result<int64_t> generation = registry_.generation();
    if (!generation) {
        spdlog::warn("model registry: {}", generation.error().message);
        return;
    }
    if (*generation == seen_generation_) return;
    Result<std::vector<store::ActiveModel>> active = registry_.active();
    if (!active) {
        spdlog::warn("model registry: {}", active.error().message);
        return;
    }
    std::vector<ModelSource> sources;
    for (const store::ActiveModel& model : *active) {
        const store::ModelManifest& m = model.manifest;
        sources.push_back({.name = m.name,
                           .version = m.version,
                           .file = model.file.string(),
                           .sha256 = m.sha256,
                           .created = m.imported_at});
    }
    models_.serve_registry(sources);
    seen_generation_ = *generation;
}

void RegistryWatch::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        sync();
        models_.release_idle();
        lock.lock();
    }
}

}  // namespace assistd::server
