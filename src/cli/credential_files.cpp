#include "cli/credential_files.h"

#include <chrono>
#include <cstdlib>

namespace assistd::cli {

Result<CredentialFiles> open_credential_files(const ops::Config& config) {
    Result<store::CredentialStore> store = store::CredentialStore::open(config.storage.data_dir);
    if (!store) return store.error();
    const char* environment = std::getenv("ASSISTD_MASTER_KEY");
    Result<std::unique_ptr<security::KeySealer>> sealer = security::load_master_key(
        {.file = ops::master_key_path(config), .environment = environment ? environment : ""});
    if (!sealer) return sealer.error();
    return CredentialFiles{std::move(*store), std::move(*sealer)};
}

security::AuthPolicy auth_policy(const ops::AuthConfig& config) {
    return {.max_skew_seconds = config.signature_skew_seconds,
            .rotation_days = config.rotation_days};
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace assistd::cli
