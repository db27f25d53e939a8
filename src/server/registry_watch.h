// RegistryWatch: keeps a ModelSet serving the registry's active versions. It polls the
// registry's generation number (one small SQLite read) every interval, on a thread of its own, so
// changes made by `assistd models`, the admin routes or another process reach every server
// process within about one interval; between polls it frees retired versions whose last request
// has ended.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "common/result.h"
#include "server/model_set.h"
#include "store/model_registry.h"

namespace assistd::server {

class RegistryWatch {
  public:
    // Opens `<data_dir>/registry.db` and loads its active versions into `models` before
    // returning, then keeps watching. `models` must outlive this.
    static Result<std::unique_ptr<RegistryWatch>> start(const std::filesystem::path& data_dir,
                                                        ModelSet& models,
                                                        std::chrono::milliseconds interval);
    ~RegistryWatch();
    RegistryWatch(const RegistryWatch&) = delete;
    RegistryWatch& operator=(const RegistryWatch&) = delete;

  private:
    RegistryWatch(store::ModelRegistry registry, ModelSet& models,
                  std::chrono::milliseconds interval);
    // Serves what the registry says is active, if it changed since the last look.
    void sync();
    void run();

    store::ModelRegistry registry_;
    ModelSet& models_;
    std::chrono::milliseconds interval_;
    int64_t seen_generation_ = -1;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace assistd::server
