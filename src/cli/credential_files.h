// The credential store and master key a configuration points at, opened the same way by
// `assistd serve` and `assistd keys` so both see the same keys.
#pragma once

#include <memory>

#include "common/result.h"
#include "ops/config.h"
#include "security/authenticator.h"
#include "security/key_sealer.h"
#include "store/credential_store.h"

namespace assistd::cli {

struct CredentialFiles {
    store::CredentialStore store;
    std::unique_ptr<security::KeySealer> sealer;
};

// storage.data_dir/assistd.db and the master key (ASSISTD_MASTER_KEY, else master_key_path()).
Result<CredentialFiles> open_credential_files(const ops::Config& config);

security::AuthPolicy auth_policy(const ops::AuthConfig& config);

int64_t unix_now();

}  // namespace assistd::cli
